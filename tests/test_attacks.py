"""The attack suite (issue 15): each class of attack with several variants, through every way
the attacker's text gets in. An attack either is refused with a ContractgenError (a German
message, a documented exit code) or has no effect; it never succeeds and never crashes.

Subprocess tests of the same classes, with the exact messages, are rows of docs/bad-input.md
(tests/test_bad_input.py).
"""

from __future__ import annotations

import base64
import dataclasses
import email
import email.policy
import os
import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, SAMPLES, SENT, TODAY
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from contractgen import api
from contractgen.errors import AnswersError, ContractgenError, OutputError
from contractgen.mailheaders import (
    DraftMismatch,
    Intended,
    header_text,
    mail_address,
    verify_draft,
)
from contractgen.writers.eml import write_frame_eml

SMALL_JOB = SAMPLES / "kleinauftrag-email.yaml"
FRAME = api.email_agreement(SMALL_JOB, today=TODAY).document.email
CLIENT_ADDRESS = ("tom", "bohnenglueck.example")
SENDER_ADDRESS = ("lena", "vogt-texte.example")
TOP_HEADERS = {"from", "to", "subject", "date", "message-id", "mime-version", "x-unsent",
               "x-uniform-type-identifier", "x-mozilla-draft-info", "content-type",
               "content-transfer-encoding"}


def _b64_word(text: str) -> str:
    return "=?utf-8?b?" + base64.b64encode(text.encode()).decode() + "?="


# ---- 1. e-mail header injection --------------------------------------------------------------

INJECTIONS = [
    "=?utf-8?q?Evil=0D=0ABcc=3A_x=40evil.example?=",
    "=?UTF-8?Q?Evil=0ABcc:_x@evil.example?=",
    _b64_word("Tom\r\nBcc: bcc@evil.example"),
    _b64_word("Tom <bcc@evil.example>, Max"),
    "Tom =?iso-8859-1?q?=3Cbcc=40evil.example=3E=2C?= Schreiber",
    "=?utf-8?q?a?= =?utf-8?q?b?=",
    "Tom, Bcc <bcc@evil.example>",
    '"Tom" <bcc@evil.example>, Max',
    'Tom\\" <bcc@evil.example>, "x',
    "Tom; bcc@evil.example",
    "Tom (Kommentar) <bcc@evil.example>",
    "bcc@evil.example",
    "Tom\r\nBcc: bcc@evil.example",
    "Tom\nCc: cc@evil.example",
    "Tom\rTo: bcc@evil.example",
    "Tom\u0085Bcc: bcc@evil.example",
    "Tom\u2028Bcc: bcc@evil.example",
    "Tom\u2029Bcc: bcc@evil.example",
    "Tom\x0bBcc: bcc@evil.example",
    "Müller, Hans <bcc@evil.example>",
    "Ünal, Ayşe " + "und Partner, " * 8 + "<bcc@evil.example>",
]


def parsed(data: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(data, policy=email.policy.default)


def assert_exact_draft(data: bytes, *, to_name: str | None = None, sender_name: str | None = None,
                       subject: str | None = None) -> None:
    """Exactly one sender and one recipient (the intended addresses), no other address header,
    exactly the draft's header lines."""
    message = parsed(data)
    head = data.partition(b"\r\n\r\n")[0]
    names = [line.split(b":", 1)[0].decode().lower() for line in head.split(b"\r\n")
             if line[:1] not in (b" ", b"\t")]
    expected = TOP_HEADERS - ({"content-transfer-encoding"} if message.is_multipart() else set())
    assert sorted(names) == sorted(expected), names
    for name in ("cc", "bcc", "reply-to", "sender", "resent-to", "resent-bcc"):
        assert message.get_all(name) is None, name
    (to,) = message["To"].addresses
    (sender,) = message["From"].addresses
    assert (to.username, to.domain) == CLIENT_ADDRESS
    assert (sender.username, sender.domain) == SENDER_ADDRESS
    if to_name is not None:
        assert squeezed(to.display_name) == squeezed(header_text(to_name))
    if sender_name is not None:
        assert squeezed(sender.display_name) == squeezed(header_text(sender_name))
    if subject is not None:
        assert header_text(subject) in str(message["Subject"])


def squeezed(text: str) -> str:
    """Without whitespace: the email package's phrase parser keeps the folding whitespace between
    two encoded words (RFC 2047 drops it; test_long_names_decode_exactly checks that)."""
    return "".join(text.split())


def yaml_text(value: str) -> str:
    return yaml.safe_dump(value, allow_unicode=False, width=10_000).removesuffix("\n...\n").strip()


def answers_with(tmp_path: Path, old: str, new: str) -> Path:
    text = SMALL_JOB.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "antworten.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def draft_or_refusal(call) -> bytes | None:
    """The draft's bytes, or None when contractgen refused the input with a ContractgenError."""
    try:
        return call()
    except ContractgenError as error:
        assert error.exit_code in (3, 6), error
        return None


@pytest.mark.parametrize("payload", INJECTIONS)
@pytest.mark.parametrize("key, old", [
    ("auftraggeber.vertreten_durch", "vertreten_durch: Tom Schreiber"),
    ("auftragnehmer.name", "name: Lena Vogt"),
    ("projekt.titel", "titel: Texte für den neuen Online-Shop"),
])
def test_header_injection_through_the_answers_file(tmp_path, payload, key, old):
    path = answers_with(tmp_path, old, f"{old.split(':')[0]}: {yaml_text(payload)}")
    target = tmp_path / "entwurf.eml"

    def run() -> bytes:
        api.email_agreement(path, output=target, attach=True, today=TODAY, sent=SENT)
        return target.read_bytes()

    data = draft_or_refusal(run)
    if data is None:
        assert not target.exists()
        return
    assert_exact_draft(data, to_name=payload if key.endswith("vertreten_durch") else None,
                       sender_name=payload if key == "auftragnehmer.name" else None)


def test_encoded_words_in_answers_are_refused_with_the_key_and_line(tmp_path):
    path = answers_with(tmp_path, "vertreten_durch: Tom Schreiber",
                        "vertreten_durch: '=?utf-8?q?x=0ABcc:_a@evil.example?='")
    with pytest.raises(AnswersError) as caught:
        api.email_agreement(path, output=tmp_path / "e.eml", today=TODAY, sent=SENT)
    (problem,) = [p for p in caught.value.problems if p.level == "error"]
    assert problem.key == "auftraggeber.vertreten_durch"
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if "vertreten_durch:" in text)
    assert problem.where == f"{path}:{line}"
    assert "=?…?=" in problem.message and problem.code == "answers.header-syntax"


@pytest.mark.parametrize("payload", INJECTIONS[:12])
def test_header_injection_through_set(tmp_path, payload):
    target = tmp_path / "entwurf.eml"

    def run() -> bytes:
        api.email_agreement(SMALL_JOB, output=target, today=TODAY, sent=SENT,
                            overrides=[f"auftraggeber.vertreten_durch={payload}",
                                       f"projekt.titel=Titel {payload}"])
        return target.read_bytes()

    data = draft_or_refusal(run)
    if data is not None:
        assert_exact_draft(data, to_name=payload)


def test_header_injection_through_batch_cells_and_the_profile(tmp_path, isolated_config_dir):
    (isolated_config_dir / "profil.yaml").write_text(
        "auftragnehmer:\n  name: " + yaml_text("Lena\r\nBcc: profil@evil.example") + "\n",
        encoding="utf-8")
    rows = ["auftraggeber.name;auftraggeber.vertreten_durch;auftraggeber.email;projekt.titel;_datei"]
    for number, payload in enumerate(INJECTIONS[:12]):
        cell = payload.replace(";", ",").replace("\r", " ").replace("\n", " ").replace('"', "'")
        rows.append(f"Kunde {number};{cell};tom@bohnenglueck.example;Titel {cell};z{number}")
    listing = tmp_path / "liste.csv"
    listing.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    base = answers_with(tmp_path, "  name: Lena Vogt\n", "")  # the freelancer's name: profile
    report = api.generate_batch(listing, output_dir=out, base=base, email=True, jobs=1,
                                today=TODAY, sent=SENT, fmt="md")
    assert report.written, report.failed
    for row in report.failed:
        assert all(p.code == "answers.header-syntax" or "=?" in p.message for p in row.problems)
    for draft in out.glob("*.eml"):
        assert_exact_draft(draft.read_bytes(), sender_name="Lena Bcc: profil@evil.example")


def _library_copy(tmp_path: Path) -> Path:
    library = tmp_path / "bibliothek"
    shutil.copytree(ROOT / "clause_library", library)
    return library


def test_header_injection_through_questionnaire_defaults_and_library_texts(tmp_path):
    """Values that never pass the answers' checks: a default of the questionnaire and the
    library's subject text. The writer neutralises them."""
    library = _library_copy(tmp_path)
    questions = library / "questionnaire.yaml"
    text = questions.read_text(encoding="utf-8")
    old = "- {key: vertreten_durch, type: text, label: Vertreten durch (Ansprechpartner)}"
    assert old in text
    payload = "=?utf-8?q?Tom=0D=0ABcc=3A_default=40evil.example?="
    questions.write_text(text.replace(old, old[:-1] + f", default: '{payload}'}}"),
                         encoding="utf-8")
    manifest = library / "library.yaml"
    text = manifest.read_text(encoding="utf-8")
    start = text.index("  email_betreff:")
    end = text.index("\n", start)
    manifest.write_text(text[:start] + "  email_betreff: \"Auftrag\\r\\nBcc: betreff@evil.example "
                        "=?utf-8?q?=0ABcc:_b@evil.example?=\"" + text[end:], encoding="utf-8")
    path = answers_with(tmp_path, "  vertreten_durch: Tom Schreiber\n", "")
    target = tmp_path / "entwurf.eml"
    api.email_agreement(path, output=target, library_path=library, today=TODAY, sent=SENT)
    data = target.read_bytes()
    assert_exact_draft(data, to_name=payload)
    assert parsed(data)["To"].addresses[0].display_name.startswith("= ?utf-8?q?Tom")
    assert "Bcc" in str(parsed(data)["Subject"])  # shown as text, not a header


EVIL_FRAMES = [
    {"to_name": "x\r\nBcc: a@evil.example"}, {"to_name": "=?utf-8?q?x=0D=0ABcc:_a@evil.example?="},
    {"sender_name": "=?utf-8?b?" + base64.b64encode(b"x\nBcc: a@evil.example").decode() + "?="},
    {"subject": "Hallo\r\nBcc: a@evil.example"}, {"subject": "=?utf-8?q?=0D=0ABcc:_a@evil.example?="},
    {"subject": "x" * 200 + " =?utf-8?q?=0ABcc:_a@evil.example?="},
    {"to_name": "\u202eTom\u2066", "subject": "\x1b]52;c;ZXZpbA==\x07 Titel"},
    {"to": "tom@bohnenglueck.example\r\nBcc: a@evil.example"},
    {"to": "=?utf-8?q?a?=@evil.example"}, {"to": "a@b.example, c@evil.example"},
    {"to": "<a@evil.example>"}, {"sender": "lena@vogt-texte.example>"},
]


@pytest.mark.parametrize("changes", EVIL_FRAMES)
def test_writer_never_writes_an_injected_draft(changes):
    """The writer on its own, without the answers' checks: an injected draft is never produced."""
    document = api.email_agreement(SMALL_JOB, today=TODAY).document
    frame = dataclasses.replace(document.email, **changes)
    try:
        data = write_frame_eml(frame, "Text\n", sent=SENT)
    except OutputError:
        return
    assert_exact_draft(data, to_name=frame.to_name, sender_name=frame.sender_name)
    assert header_text(frame.subject) == str(parsed(data)["Subject"])


def test_the_parse_back_check_can_fail():
    """verify_draft refuses a message with an extra recipient, an extra header or a changed
    subject: it is a real check, not one that always passes."""
    document = api.email_agreement(SMALL_JOB, today=TODAY).document
    good = write_frame_eml(document.email, "Text\n", sent=SENT)
    message = parsed(good)
    intended = Intended(sender=mail_address(document.email.sender_name, document.email.sender),
                        recipients=(mail_address(document.email.to_name, document.email.to),),
                        subject=str(message["Subject"]),
                        headers=frozenset(k.lower() for k in message.keys()))
    verify_draft(good, intended)
    head, _, body = good.partition(b"\r\n\r\n")
    tampered = [
        head + b"\r\nBcc: a@evil.example\r\n\r\n" + body,
        head.replace(b"To: ", b"To: a@evil.example, ") + b"\r\n\r\n" + body,
        head.replace(b"Subject: ", b"Subject: X") + b"\r\n\r\n" + body,
        head.replace(b"To: ", b"To: =?utf-8?q?=0D=0ACc:_x@evil.example?= ") + b"\r\n\r\n" + body,
        head + b"\r\nCc: x@evil.example\r\n\r\n" + body,
        head.replace(b"\r\nSubject", b"\nBcc: a@evil.example\r\nSubject") + b"\r\n\r\n" + body,
    ]
    for data in tampered:
        with pytest.raises(DraftMismatch):
            verify_draft(data, intended)


def test_idna_2008_keeps_sharp_s_in_validation_and_drafts(tmp_path):
    target = tmp_path / "entwurf.eml"
    api.email_agreement(SMALL_JOB, output=target, today=TODAY, sent=SENT,
                        overrides=["auftraggeber.email=tom@straße.example"])
    (to,) = parsed(target.read_bytes())["To"].addresses
    assert to.domain == "xn--strae-oqa.example"  # IDNA 2003 would give strasse.example
    assert "strasse" not in target.read_text(encoding="ascii", errors="replace")
    import idna

    assert idna.decode(to.domain) == "straße.example"


@pytest.mark.parametrize("address", ["a@-x.example", "a@x_y.example", "a@" + "x" * 64 + ".de",
                                     "a@x\u200d.example", "a@xn--zz.example"])
def test_idna_2008_refuses_invalid_domains(tmp_path, address):
    with pytest.raises(AnswersError) as caught:
        api.email_agreement(SMALL_JOB, output=tmp_path / "e.eml", today=TODAY, sent=SENT,
                            overrides=[f"auftraggeber.email={address}"])
    assert any(p.key == "auftraggeber.email" for p in caught.value.problems)


NAME_CHARS = st.one_of(
    st.characters(categories=["L", "M", "N", "P", "S", "Zs"]),
    st.sampled_from(list(',;:<>@"\\()[]=?. \u200d\u200c\u0301\u05d0\u0627\U0001f469\U0001f4bb')),
)


@settings(max_examples=300)
@given(name=st.text(NAME_CHARS, min_size=1, max_size=120), subject=st.text(NAME_CHARS, max_size=300))
def test_every_accepted_name_and_title_round_trips_exactly(name, subject):
    """Whatever the answers accept as a name or title is written and parses back exactly as it
    was meant (one recipient, no extra header), on every supported Python version."""
    from contractgen.questionnaire.answers import check_value
    from contractgen.questionnaire.schema import Question

    question = Question("name", "auftraggeber.name", "text", "Name")
    accepted = [check_value(question, text)[0] for text in (name, subject)]
    assume(all(value is not None for value in accepted))
    frame = dataclasses.replace(FRAME, to_name=accepted[0], sender_name=accepted[0],
                                subject=accepted[1])
    data = write_frame_eml(frame, "Text\n", sent=SENT)
    assert_exact_draft(data, to_name=accepted[0], sender_name=accepted[0])
    assert str(parsed(data)["Subject"]).strip() == header_text(accepted[1])


def test_long_names_decode_exactly_as_rfc_2047_says():
    """A long name is folded into several encoded words; an RFC 2047 decoder (the email
    package's decode_header, as mail programs do it) reads it back exactly."""
    from email.header import decode_header, make_header

    name = "Ünal Ayşe " + "\U0001f469\u200d\U0001f4bb" * 12 + " Çelik-Öztürk und Söhne GmbH & Co. KG"
    frame = dataclasses.replace(FRAME, to_name=name)
    data = write_frame_eml(frame, "Text\n", sent=SENT)
    head = data.partition(b"\r\n\r\n")[0].decode("ascii")
    raw_to = head.split("\r\nTo:", 1)[1].split("\r\nSubject:", 1)[0]
    assert "\r\n " in raw_to  # folded into several lines
    decoded = str(make_header(decode_header(raw_to.replace("\r\n", ""))))
    assert decoded.strip() == f"{name} <tom@bohnenglueck.example>"


# ---- 2. the cache runs no one else's code ----------------------------------------------------

OTHER_USER = 54321  # the tests run as one user; files of "another user" are chowned to this id


def _code_cache(monkeypatch, directory: Path):
    from contractgen import cache

    monkeypatch.setenv("CONTRACTGEN_CACHE_DIR", str(directory))
    return cache


def _plant_code(cache, directory: Path, source: str) -> Path:
    """A compiled-template file under the name the cache would read for `source`, holding
    code that would write a marker file: loaded and run, the attack would succeed."""
    import marshal

    marker = directory.parent / "PWNED"
    evil = compile(f"open({str(marker)!r}, 'w').write('x')", "evil", "exec")
    path = directory / f"{cache._key(source, 'a.md')}.bin"
    path.write_bytes(marshal.dumps(evil))
    return path


needs_root = pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0,
                                reason="files of another user need root to chown")


@needs_root
@pytest.mark.parametrize("layout", ["parent-writable", "cache-writable", "cache-of-other",
                                    "parent-of-other", "link-of-other", "link-climbs"])
def test_an_unsafe_cache_directory_is_never_read(tmp_path, monkeypatch, layout):
    base = tmp_path / "base"
    (base / "cache").mkdir(parents=True)
    target = base / "cache"
    if layout == "parent-writable":
        base.chmod(0o777)           # another user could swap "cache" for their own
    elif layout == "cache-writable":
        target.chmod(0o777)
    elif layout == "cache-of-other":
        os.chown(target, OTHER_USER, OTHER_USER)
    elif layout == "parent-of-other":
        os.chown(base, OTHER_USER, OTHER_USER)
    elif layout == "link-of-other":
        link = base / "link"
        link.symlink_to(target)
        os.lchown(link, OTHER_USER, OTHER_USER)
        target = link
    elif layout == "link-climbs":
        link = base / "link"
        link.symlink_to("../base/cache")
        target = link
    cache = _code_cache(monkeypatch, target)
    _plant_code(cache, base / "cache", "{{ x }}")
    assert cache.cache_dir() is None
    assert cache.load_code("{{ x }}", "a.md") is None
    assert not (base / "PWNED").exists()


@needs_root
@pytest.mark.parametrize("kind", ["other-owner", "group-writable", "symlink", "fifo", "directory"])
def test_an_unsafe_cache_file_is_never_read(tmp_path, monkeypatch, kind):
    directory = tmp_path / "cache"
    directory.mkdir(mode=0o700)
    cache = _code_cache(monkeypatch, directory)
    planted = _plant_code(cache, directory, "{{ y }}")
    if kind == "other-owner":
        os.chown(planted, OTHER_USER, OTHER_USER)
    elif kind == "group-writable":
        planted.chmod(0o664)
    elif kind == "symlink":
        elsewhere = tmp_path / "elsewhere.bin"
        planted.rename(elsewhere)
        planted.symlink_to(elsewhere)
    elif kind == "fifo":
        planted.unlink()
        os.mkfifo(planted)
    elif kind == "directory":
        planted.unlink()
        planted.mkdir()
    assert cache.cache_dir() == directory  # the directory itself is fine
    assert cache.load_code("{{ y }}", "a.md") is None  # returns at once, also for the FIFO
    assert not (tmp_path / "PWNED").exists()


def test_a_folder_swapped_after_the_check_is_not_used(tmp_path, monkeypatch):
    """The check and the use are one: the cache works on the directory it opened and checked,
    so a folder put in its place later (by someone who can write the parent) is never read."""
    directory = tmp_path / "cache"
    cache = _code_cache(monkeypatch, directory)
    code = compile("x = 1", "good", "exec")
    cache.store_code("{{ z }}", "a.md", code)        # opens and checks the directory
    assert cache.load_code("{{ z }}", "a.md") is not None
    directory.rename(tmp_path / "cache-original")   # the swap
    directory.mkdir(mode=0o700)
    _plant_code(cache, directory, "{{ z }}")
    loaded = cache.load_code("{{ z }}", "a.md")
    assert loaded is not None and loaded.co_filename == "good"
    assert not (tmp_path / "PWNED").exists()


@pytest.mark.parametrize("payload", ["pickle", "foreign-class", "function", "garbage"])
def test_a_forged_library_cache_file_runs_nothing(tmp_path, monkeypatch, payload):
    """The parsed library is stored as data: a pickle (the old format), a class outside
    contractgen or a function name in the file is refused, and the library is read afresh."""
    import json
    import pickle

    from contractgen import cache, cachedata
    from contractgen.library import loader

    monkeypatch.setenv("CONTRACTGEN_CACHE_DIR", str(tmp_path / "cache"))
    library_dir = _library_copy(tmp_path)
    loader.load_library(library_dir, compile_all=False)   # writes the cache file
    (cached,) = (tmp_path / "cache").glob("library-*.data")
    marker = tmp_path / "PWNED"

    class Evil:
        def __reduce__(self):
            return (exec, (f"open({str(marker)!r}, 'w').write('x')",))

    if payload == "pickle":
        data = pickle.dumps(Evil())
    else:
        name = {"foreign-class": "os:system", "function": "builtins:exec",
                "garbage": "contractgen.library.loader:Library"}[payload]
        text = json.dumps({"c": [name, [["command", f"touch {marker}"]]]}).encode()
        data = cachedata.MAGIC + len(text).to_bytes(8, "big") + text
    cached.write_bytes(data)
    assert cache.load_object("library", cached.stem.removeprefix("library-")) is None
    library = loader.load_library(library_dir, compile_all=False)  # read afresh
    assert library.clauses and not marker.exists()


# ---- 3. a hostile library reads nothing outside itself ---------------------------------------

def _check_library(library: Path) -> int:
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "contractgen", "library", "check", str(library)],
                          capture_output=True, text=True, timeout=300).returncode


@pytest.mark.parametrize("variant", ["link-absolute", "link-relative", "reference-absolute",
                                     "reference-climbs", "clause-link", "clauses-dir-link",
                                     "questionnaire-link", "mail-link"])
def test_a_library_names_only_its_own_files(tmp_path, variant):
    from contractgen.errors import LibraryError
    from contractgen.library import load_library

    library = _library_copy(tmp_path)
    secret = tmp_path / "geheim"
    secret.mkdir()
    shutil.copy(library / "reference.docx", secret / "vertraulich.docx")
    manifest = library / "library.yaml"
    if variant == "link-absolute":
        (library / "reference.docx").unlink()
        (library / "reference.docx").symlink_to(secret / "vertraulich.docx")
    elif variant == "link-relative":
        (library / "reference.docx").unlink()
        (library / "reference.docx").symlink_to("../geheim/vertraulich.docx")
    elif variant in ("reference-absolute", "reference-climbs"):
        name = (str(secret / "vertraulich.docx") if variant == "reference-absolute"
                else "../geheim/vertraulich.docx")
        manifest.write_text(manifest.read_text(encoding="utf-8").replace(
            "reference_docx: reference.docx", f"reference_docx: {name}"), encoding="utf-8")
    elif variant == "clause-link":
        shutil.copy(library / "clauses" / "vertraulichkeit.md", secret / "x.md")
        (library / "clauses" / "zz-fremd.md").symlink_to(secret / "x.md")
    elif variant == "clauses-dir-link":
        shutil.move(str(library / "clauses"), str(secret / "clauses"))
        (library / "clauses").symlink_to(secret / "clauses")
    elif variant == "questionnaire-link":
        shutil.move(str(library / "questionnaire.yaml"), str(secret / "q.yaml"))
        (library / "questionnaire.yaml").symlink_to(secret / "q.yaml")
    elif variant == "mail-link":
        mails = next(p for p in library.iterdir() if p.is_dir() and p.name == "mails")
        target = next(mails.glob("*.md"))
        shutil.move(str(target), str(secret / target.name))
        target.symlink_to(secret / target.name)
    with pytest.raises(LibraryError) as caught:
        load_library(library, compile_all=False)
    text = caught.value.message + " ".join(p.message for p in caught.value.problems)
    assert "außerhalb der Bibliothek" in text or "aus der Bibliothek hinaus" in text \
        or "absoluter Pfad" in text
    assert caught.value.exit_code == 4
    assert _check_library(library) == 4  # `library check` finds it too


def test_links_inside_the_library_are_fine(tmp_path):
    from contractgen.library import load_library

    library = _library_copy(tmp_path)
    (library / "styles").mkdir()
    shutil.move(str(library / "reference.docx"), str(library / "styles" / "reference.docx"))
    (library / "reference.docx").symlink_to("styles/reference.docx")
    assert load_library(library, compile_all=False).clauses


# ---- 4. bounded: patterns, ZIP packages, string formatting, devices, byte limits -------------

@pytest.mark.parametrize("pattern", ["^(a+)+$", "^([0-9]+)*$", "^(a|aa)+$", "^(\\w+\\s?)+$",
                                     "(x+x+)+y", "^(a*)*b", "(\\d{1,5})+$", "^(.*a){12}$",
                                     "\\w*\\w*\\w*!", "^(\\w+)\\1$", "^(?=a+)+", "(" * 300 + ")" * 300])
def test_hostile_patterns_are_refused_when_the_questionnaire_is_read(pattern):
    from contractgen.limits import pattern_problem

    assert pattern_problem(pattern) is not None


@pytest.mark.parametrize("pattern", ["^[0-9]{5}$", "^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$",
                                     "^(DE)?[0-9]{9}$", "^[0-9]{2,3}/[0-9]{3,4}/[0-9]{4,5}$",
                                     "^(\\d{2}-)+\\d$", "^[a-z]+(-[a-z]+)?$", "^(a|b|c)+$"])
def test_ordinary_patterns_pass(pattern):
    from contractgen.limits import pattern_problem

    assert pattern_problem(pattern) is None


def _reference_variant(tmp_path: Path, **changes) -> Path:
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from test_bad_input import rezipped

    target = tmp_path / "variant.docx"
    rezipped(ROOT / "clause_library" / "reference.docx", target, **changes)
    return target


ZIP_ATTACKS = {
    "bomb-declared": {"extra": (("word/media/a.bin", b"\0" * 60_000_000),)},
    "bomb-ratio": {"extra": (("word/media/b.bin", b"\0" * 5_000_000),)},
    "many-members": {"extra": tuple((f"word/media/{i}.bin", b"x") for i in range(1200))},
    "absolute": {"extra": (("/tmp/evil.xml", b"<x/>"),)},
    "drive": {"extra": (("C:/evil.xml", b"<x/>"),)},
    "backslash": {"extra": (("word\\..\\..\\evil.xml", b"<x/>"),)},
    "dotdot": {"extra": (("word/../../evil.xml", b"<x/>"),)},
    "dot": {"extra": (("word/./evil.xml", b"<x/>"),)},
    "duplicate": {"extra": (("word/styles.xml", b"<x/>"),)},
    "doctype": {"change": {"word/settings.xml": lambda d: d.replace(
        b"?>", b"?><!DOCTYPE w [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]>", 1)}},
}


@pytest.mark.parametrize("attack", sorted(ZIP_ATTACKS))
def test_zip_attacks_on_reference_docx_and_on_inspect(tmp_path, attack):
    import warnings

    from contractgen import zipsafe
    from contractgen.errors import AnswersError, LibraryError

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate name
        package = _reference_variant(tmp_path, **ZIP_ATTACKS[attack]).read_bytes()
    for error in (LibraryError, AnswersError):
        with pytest.raises(error):
            zipsafe.read_members(package, describe="Das Paket", error=error)


def test_a_member_larger_than_its_header_says_is_refused():
    import io
    import zipfile

    from contractgen import zipsafe

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<x>" + b"a" * 100_000 + b"</x>")
    data = bytearray(buffer.getvalue())
    # lie in both headers: 10 bytes instead of 100 007
    size = (100_007).to_bytes(4, "little")
    for start in range(len(data) - 4):
        if data[start:start + 4] == size:
            data[start:start + 4] = (10).to_bytes(4, "little")
    with pytest.raises(AnswersError):
        zipsafe.read_members(bytes(data), describe="Das Paket", error=AnswersError)


FORMAT_ATTACKS = ['{{ "%0999999999d" % 1 }}', '{{ "%.999999999f" % 1 }}', '{{ "%*d" % (10**8, 1) }}',
                  '{{ "%(a)0999999999d" % {"a": 1} }}', '{{ "{:>999999999}".format(1) }}',
                  '{{ "{0:{1}}".format(1, 10**9) }}', '{{ "{x:^999999999}".format_map({"x": 1}) }}',
                  '{{ "x".center(10**9) }}', '{{ "x".rjust(10**8, "y") }}', '{{ "1".zfill(10**9) }}',
                  '{{ ("\\t" * 1000).expandtabs(10**7) }}', '{{ ("x" * 1000).replace("x", "y" * 1000) }}',
                  '{{ ("y" * 1000).join(["a"] * 1000) }}', '{{ "x"|center(10**9) }}',
                  '{{ ("a\\n" * 100)|indent(10**6) }}', '{{ "%0999999999d"|format(1) }}',
                  '{{ ("x" * 1000)|replace("x", "y" * 1000) }}', '{{ (["x" * 1000] * 1000)|join }}',
                  '{{ lipsum(10**6) }}']


@pytest.mark.parametrize("source", FORMAT_ATTACKS)
def test_string_formatting_in_templates_is_bounded(source):
    from jinja2.exceptions import SecurityError, UndefinedError

    from contractgen.templating import environment

    with pytest.raises((SecurityError, UndefinedError)):
        environment().from_string(source).render()


def test_ordinary_formatting_still_works():
    from contractgen.templating import environment

    env = environment()
    assert env.from_string('{{ "%05.1f" % 2.5 }}|{{ "{:>6}".format("ab") }}|{{ "x"|center(5) }}'
                           '|{{ ["a", "b"]|join(", ") }}|{{ "a-b"|replace("-", "–") }}').render() \
        == "002\\.5|    ab|  x  |a\\, b|a–b"


@pytest.mark.parametrize("target", ["/dev/zero", "/dev/urandom", "fifo-with-writer"])
def test_answers_from_devices_and_pipes_are_read_with_a_byte_limit(tmp_path, target):
    import threading

    from contractgen.questionnaire.rawyaml import read_yaml_file

    path = tmp_path / "antworten.yaml"
    writer = None
    if target == "fifo-with-writer":
        os.mkfifo(path)

        def endless() -> None:
            try:
                with open(path, "wb") as stream:
                    while True:
                        stream.write(b"# " + b"x" * 65536 + b"\n")
            except (BrokenPipeError, OSError):
                return

        writer = threading.Thread(target=endless, daemon=True)
        writer.start()
    else:
        path.symlink_to(target)
    with pytest.raises(AnswersError) as caught:
        read_yaml_file(path)
    assert "größer als 1.000.000 Bytes" in caught.value.message
    assert str(path) in caught.value.message


@pytest.mark.parametrize("kind", ["fifo", "zero", "random", "socket"])
def test_library_files_that_are_devices_fifos_or_sockets_are_refused(tmp_path, kind):
    import socket

    from contractgen.errors import LibraryError
    from contractgen.libfiles import tree_problems

    library = _library_copy(tmp_path)
    entry = library / "clauses" / "zz-x.md"
    if kind == "fifo":
        os.mkfifo(entry)
    elif kind == "socket":
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(entry))
        server.close()
    else:
        inner = library / "geraet"
        inner.symlink_to("/dev/zero" if kind == "zero" else "/dev/urandom")
        entry.symlink_to(inner)
    problems, _ = tree_problems(library)
    assert problems and all(p.code.startswith("library.") for p in problems)
    from contractgen.library import load_library

    with pytest.raises(LibraryError):
        load_library(library, compile_all=False)


# ---- 5. one alias budget for a whole batch YAML file -----------------------------------------

@pytest.mark.parametrize("shape", ["entries-alias-one-big", "nested-aliases", "keys-and-values"])
def test_a_small_batch_yaml_cannot_expand_to_gigabytes(tmp_path, shape):
    import time

    if shape == "entries-alias-one-big":
        rows = ["- &big {auftraggeber: {name: x}, projekt: {leistungen: [" + ", ".join(["a"] * 90) + "]}}"]
        rows += ["- *big"] * 5000
    elif shape == "nested-aliases":
        rows = ["- &a [x, x, x, x, x, x, x, x, x, x]", "- &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]",
                "- &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]"] + ["- {x: [*c, *c, *c]}"] * 200
    else:
        rows = ["- &m {a: &v [1, 2, 3, 4, 5, 6, 7, 8], b: *v, c: *v, d: *v}"] + \
               ["- {x: *m, y: *m, z: *m}"] * 2000
    listing = tmp_path / "liste.yaml"
    listing.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    start = time.monotonic()
    with pytest.raises(AnswersError) as caught:
        api.generate_batch(listing, output_dir=out, base=SAMPLES / "designerin-pauschal.yaml",
                           jobs=1, today=TODAY, sent=SENT)
    assert "Anker und Aliase" in caught.value.message and str(listing) in caught.value.message
    assert time.monotonic() - start < 20
    assert not list(out.iterdir())


def test_a_long_batch_yaml_without_aliases_is_fine(tmp_path):
    from contractgen.batch import read_rows
    from contractgen.library import load_library

    rows = [f"- {{auftraggeber: {{name: Kunde {i}, email: k{i}@kunde.example}}}}" for i in range(3000)]
    listing = tmp_path / "liste.yaml"
    listing.write_text("\n".join(rows) + "\n", encoding="utf-8")
    library = load_library(ROOT / "clause_library", compile_all=False)
    assert len(list(read_rows(listing, library.questionnaire, None))) == 3000


# ---- 6. control characters never reach the terminal ------------------------------------------

def _tampered_contract(tmp_path: Path) -> tuple[Path, Path]:
    import subprocess
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from test_bad_input import rezipped

    original = tmp_path / "echt.docx"
    subprocess.run([sys.executable, "-m", "contractgen", "generate",
                    str(SAMPLES / "designerin-pauschal.yaml"), "-o", str(original)],
                   check=True, capture_output=True, timeout=120)
    evil = tmp_path / "fremd.docx"

    def document(data: bytes) -> bytes:  # C1 controls and bidi overrides are legal in XML
        return data.replace(b"Auftragnehmer", "Auftrag\u009b2J\u009d52;c;eA==\u009c"
                            "\u202enehmer\u2066".encode(), 3)

    def manifest(data: bytes) -> bytes:  # JSON may carry ESC itself
        return data.replace(b"Erika Mustermann",
                            b"Erika \\u001b]52;c;ZXZpbA==\\u0007\\u001b[2J\\r\\u001b[1A Mustermann", 1)

    import zipfile

    with zipfile.ZipFile(original) as archive:
        item = next(n for n in archive.namelist() if n.startswith("customXml/item")
                    and b"contractgen" in archive.read(n))
    rezipped(original, evil, change={"word/document.xml": document, item: manifest})
    return original, evil


@pytest.mark.parametrize("command", ["inspect", "inspect-json", "diff"])
def test_escape_sequences_from_a_foreign_docx_never_reach_the_terminal(tmp_path, command):
    import subprocess
    import sys

    original, evil = _tampered_contract(tmp_path)
    args = {"inspect": ["inspect", str(evil)], "inspect-json": ["inspect", str(evil), "--json"],
            "diff": ["diff", str(original), str(evil)]}[command]
    result = subprocess.run([sys.executable, "-m", "contractgen", *args], capture_output=True,
                            timeout=120)
    shown = result.stdout + result.stderr
    assert result.returncode in (0, 1, 2), shown  # 1: diff found differences; 2: no such option
    for raw in (b"\x1b", b"\x07", b"\r", "\u009b".encode(), "\u202e".encode(), "\u2066".encode()):
        assert raw not in shown, raw


def test_printable_escapes_every_control_character():
    from contractgen.terminal import printable

    text = "a\x1b]52;c;x\x07b\rc\x9b2Jd\u202ee\u2066f\x7fg\tz\n"
    assert printable(text) == "a\\x1b]52;c;x\\x07b\\x0dc\\x9b2Jd\\u202ee\\u2066f\\x7fg\tz\n"


# ---- 8. two batches into one folder ----------------------------------------------------------

def test_a_second_batch_never_removes_the_files_of_one_still_running(tmp_path):
    import subprocess
    import sys
    import time

    out = tmp_path / "out"
    out.mkdir()
    listing = tmp_path / "lang.csv"
    rows = ["auftraggeber.name;auftraggeber.email;projekt.titel"]
    rows += [f"Kunde {i} GmbH;k{i}@kunde.example;Projekt {i}" for i in range(300)]
    listing.write_text("\n".join(rows) + "\n", encoding="utf-8")
    short = tmp_path / "kurz.csv"
    short.write_text(rows[0] + "\nZweite GmbH;z@zweite.example;Zweites Projekt\n", encoding="utf-8")
    base = str(SAMPLES / "designerin-pauschal.yaml")
    first = subprocess.Popen([sys.executable, "-m", "contractgen", "batch", str(listing), "-o",
                              str(out), "--base", base, "--jobs", "1", "-q"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while not list(out.glob(".contractgen-batch-*.lock")) and time.monotonic() < deadline:
            time.sleep(0.02)
        (lock,) = out.glob(".contractgen-batch-*.lock")
        token = lock.name.removeprefix(".contractgen-batch-").removesuffix(".lock")
        in_flight = out / f".kunde-299-gmbh-projekt-299.docx.{token}.inflight.tmp"
        in_flight.write_bytes(b"halb")   # as the running batch's write_atomic leaves it mid-write
        second = subprocess.run([sys.executable, "-m", "contractgen", "batch", str(short), "-o",
                                 str(out), "--base", base, "--jobs", "1", "-q"],
                                capture_output=True, text=True, timeout=120)
        assert second.returncode == 0, second.stderr
        assert first.poll() is None, "the first batch must still be running for this test"
        assert in_flight.exists()           # the second batch left the first one's file alone
    finally:
        first.wait(timeout=300)
    assert first.returncode == 0, first.stderr.read() if first.stderr else ""
    assert len(list(out.glob("kunde-*.docx"))) == 300 and (out / "zweite-gmbh-zweites-projekt.docx").exists()
    assert not list(out.glob(".contractgen-batch-*.lock"))  # each batch removed its own lock


# ---- 9., 12., 13. German messages instead of internal errors ---------------------------------

@pytest.mark.parametrize("header", ["auftraggeber.name;projekt.titel;auftraggeber.name",
                                    "auftraggeber.name; auftraggeber.name ;projekt.titel",
                                    "_datei;auftraggeber.name;_datei"])
def test_a_duplicate_csv_column_is_an_error(tmp_path, header):
    listing = tmp_path / "liste.csv"
    listing.write_text(header + "\nA;B;C\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(AnswersError) as caught:
        api.generate_batch(listing, output_dir=out, base=SAMPLES / "designerin-pauschal.yaml",
                           jobs=1, today=TODAY, sent=SENT)
    assert f"{listing}:1" in caught.value.message and "doppelt" in caught.value.message


@pytest.mark.parametrize("cell", ["x" * 200_000, '"' + "y" * 140_000 + '"'])
def test_a_csv_cell_over_the_field_limit_is_an_error_with_its_line(tmp_path, cell):
    listing = tmp_path / "liste.csv"
    listing.write_text("auftraggeber.name;projekt.titel\nA;B\nC;" + cell + "\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(AnswersError) as caught:
        api.generate_batch(listing, output_dir=out, base=SAMPLES / "designerin-pauschal.yaml",
                           jobs=1, today=TODAY, sent=SENT)
    assert f"{listing}:3" in caught.value.message


@pytest.mark.parametrize("variant", ["no-ct", "no-rels", "ct-latin1-declared", "ct-utf16",
                                     "header-broken", "styles-broken", "document-missing"])
def test_a_broken_reference_docx_is_a_library_error(tmp_path, variant):
    from contractgen.errors import LibraryError
    from contractgen.writers.docx_reference import load_reference

    changes = {
        "no-ct": {"drop": ("[Content_Types].xml",)},
        "no-rels": {"drop": ("_rels/.rels",)},
        "ct-latin1-declared": {"change": {"[Content_Types].xml": lambda d: re.sub(
            rb"encoding=['\"]UTF-8['\"]", b'encoding="ISO-8859-1"', d)}},
        "ct-utf16": {"change": {"[Content_Types].xml": lambda d: d.decode("utf-8").replace(
            'encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")}},
        "header-broken": {"change": {"word/header1.xml": lambda d: d.replace(b"</w:hdr>", b"")}},
        "styles-broken": {"change": {"word/styles.xml": lambda d: d[:100]}},
        "document-missing": {"drop": ("word/document.xml",)},
    }[variant]
    with pytest.raises(LibraryError):
        load_reference(_reference_variant(tmp_path, **changes))


def test_a_terminal_that_cannot_show_the_euro_gets_a_german_message(tmp_path):
    import subprocess
    import sys

    for encoding in ("ascii", "latin-1"):
        result = subprocess.run([sys.executable, "-m", "contractgen", "email", str(SMALL_JOB)],
                                capture_output=True, timeout=120,
                                env={**os.environ, "PYTHONIOENCODING": encoding})
        assert result.returncode == 6, result.stderr
        message = result.stderr.decode(encoding)
        assert "Terminal" in message and "UTF-8" in message and "interner Fehler" not in message


# ---- 10. Markdown: ~~ and & stay text ----------------------------------------------------------

@pytest.mark.parametrize("title", ["~~gestrichen~~", "A &amp; B", "&copy; 2027", "&#x41;&#65;",
                                   "~~&lt;b&gt;~~", "x ~~y~~ &nbsp; z"])
def test_markdown_shows_strikethrough_and_entities_literally(tmp_path, title):
    from markdown_it import MarkdownIt

    result = api.generate(SAMPLES / "designerin-pauschal.yaml", fmt="md", today=TODAY,
                          overrides=[f"projekt.titel={title}"])
    markdown = result.data.decode("utf-8")
    html = MarkdownIt("commonmark").enable("strikethrough").render(markdown)
    assert "<s>" not in html and "<del>" not in html
    # entities are shown as typed: "&" is written as &amp; in the HTML, never decoded
    import html as html_module

    assert title in html_module.unescape(html)
    assert "©" not in html and "\u00a0z" not in html_module.unescape(html).split(title)[0][-3:]


# ---- 11. invisible characters --------------------------------------------------------------------

@pytest.mark.parametrize("name", ["\u3164", "\u3164\u3164", "\u115f\u1160", "\uffa0", "\u2800\u2800",
                                  "Max\u200bMüller", "Erika\U000e0041\U000e0042", "A\u200eB",
                                  "A\u200fB", "A\u061cB", "A\u2060B", "A\u034fB", "\u200dTom",
                                  "Tom\u200d", "\ufe0fTom", "a\U000e0100b", "\u0301\u0301",
                                  "Tom\u180eX", "A\u17b4B", "A\ufff0B"])
def test_invisible_names_are_refused(name):
    from contractgen.questionnaire.answers import check_value
    from contractgen.questionnaire.schema import Question

    value, message = check_value(Question("name", "auftraggeber.name", "text", "Name"), name)
    assert value is None and message is not None


@pytest.mark.parametrize("name", ["👩\u200d💻 Studio", "می\u200cخواهم", "❤️ Laden", "🏳️\u200d🌈 Verein",
                                  "क्\u200dष", "Café", "👍🏽 Team", "e\u0301", "שלום"])
def test_joiners_and_emoji_stay_allowed(name):
    from contractgen.questionnaire.answers import check_value
    from contractgen.questionnaire.schema import Question

    value, message = check_value(Question("name", "auftraggeber.name", "text", "Name"), name)
    assert message is None, message

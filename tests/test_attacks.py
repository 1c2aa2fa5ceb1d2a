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
    assert problem.where == f"{path}:16"
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
        text = json.dumps(["c", name, [["command", f"touch {marker}"]]]).encode()
        data = cachedata.MAGIC + len(text).to_bytes(8, "big") + text
    cached.write_bytes(data)
    assert cache.load_object("library", cached.stem.removeprefix("library-")) is None
    library = loader.load_library(library_dir, compile_all=False)  # read afresh
    assert library.clauses and not marker.exists()

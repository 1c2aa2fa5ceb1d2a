"""The routes of the local web server (Starlette). Every route works without JavaScript: the
form posts to `/`, downloads are form posts, uploads are multipart forms; the page's script
only adds the live preview through `/api/zustand`.

No route takes a path from the browser: uploads are read in memory, downloads are generated in
memory, and saving happens in the browser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..errors import AnswersError, ContractgenError, Problem
from ..output import safe_file_stem
from ..questionnaire.rawyaml import MAX_FILE_BYTES, Raw
from . import formstate
from .core import FRAMEWORK_NAME, MIME, Evaluation, Mode, Workbench, decode_upload, pdf_available
from .formstate import FormState
from .page import HERE, PageContext, client_json, render_page
from .security import INTERNAL, MAX_BODY, MAX_FIELDS, Guard, Secrets

FORMATS = ("docx", "pdf", "eml", "yaml")
_ACTION_RE = re.compile(r"^(hinzufuegen|entfernen):(.{1,300})$")


@dataclass
class Start:
    """What the page starts from: an answers file (`--from`), a framework (`--auftrag`)."""

    answers: Raw | None = None
    answers_name: str = ""
    framework_text: str | None = None
    framework_name: str = FRAMEWORK_NAME


class WebApp:
    def __init__(self, bench: Workbench, secrets: Secrets, start: Start | None = None,
                 lawyer: Any = None) -> None:
        self.bench = bench
        self.secrets = secrets
        self.start = start or Start()
        self.lawyer = lawyer

    # -- helpers -----------------------------------------------------------------------------
    def context(self, messages: list[str] | None = None, sample: int | None = None) -> PageContext:
        ctx = PageContext(csrf=self.secrets.csrf, messages=list(messages or []))
        if self.lawyer is not None:
            ctx.lawyer = True
            ctx.library_label = str(self.bench.library_path)
            ctx.lint = self.lawyer.lint_view()
            ctx.samples = self.lawyer.sample_labels()
            ctx.sample_index = sample
        return ctx

    def page(self, ev: Evaluation, *, messages: list[str] | None = None, show_all: bool = False,
             status: int = 200, sample: int | None = None) -> HTMLResponse:
        html = render_page(ev, self.bench, self.context(messages, sample), show_all_errors=show_all)
        return HTMLResponse(html, status_code=status)

    def default_mode(self) -> tuple[Mode, list[str]]:
        if self.start.framework_text is not None:
            return self.bench.order_mode(self.start.framework_text, self.start.framework_name), []
        mode, problems = self.bench.contract_mode()
        return mode, [str(p) for p in problems]

    def mode_from_form(self, form: FormData) -> Mode:
        if form.get("_modus") == "auftrag":
            text = form.get("_rahmen")
            if not isinstance(text, str) or len(text.encode("utf-8")) > MAX_FILE_BYTES:
                raise AnswersError("Die Angaben des Rahmenvertrags fehlen; bitte neu beginnen.")
            return self.bench.order_mode(text, clean_name(str(form.get("_rahmen_name") or "")))
        mode, _ = self.bench.contract_mode()
        return mode

    async def form(self, request: Request) -> FormData:
        return await request.form(max_files=1, max_fields=MAX_FIELDS, max_part_size=MAX_BODY)

    def state(self, form: FormData, mode: Mode) -> tuple[FormState, str | None]:
        items = [(k, v) for k, v in form.multi_items() if isinstance(v, str)]
        state = formstate.state_from_form(items, mode.questionnaire, mode.skip)
        touched = apply_action(state, str(form.get("_aktion") or ""))
        return state, touched

    def with_sample(self, ev: Evaluation, index: int | None) -> Evaluation:
        """Lawyers: the preview shows the lint's combination itself (placeholders and all)."""
        if self.lawyer is None or index is None:
            return ev
        values = self.lawyer.sample_values(index)
        if values is None:
            return ev
        from ..pipeline import build_document, clock_today
        from ..questionnaire.answers import Answers

        try:
            ev.document = build_document(self.bench.library(), Answers(values=values,
                                                                       source="library check"),
                                         today=clock_today())
            ev.preview_error = None
        except ContractgenError as error:
            ev.document, ev.preview_error = None, error.message
        ev.draft = True
        return ev

    def error_page(self, error: ContractgenError, status: int = 422) -> HTMLResponse:
        mode, messages = self.default_mode()
        ev = self.bench.evaluate(mode, self.bench.initial_state(mode))
        ev.problems = (Problem("error", error.message, code="web.request"), *error.problems,
                       *ev.problems)
        return self.page(ev, messages=messages, status=status)

    # -- routes ------------------------------------------------------------------------------
    async def index(self, request: Request) -> Response:
        try:
            mode, messages = self.default_mode()
        except ContractgenError as error:
            self.start.framework_text = None
            return self.error_page(error)
        loaded = self.start.answers if mode.kind == self.start_kind() else None
        if loaded is not None:
            messages.append(f"Geladen: {self.start.answers_name}")
            messages += [f"Nicht übernommen aus {self.start.answers_name}: {p}"
                         for p in self.bench.unplaced(mode, loaded)]
        ev = self.bench.evaluate(mode, self.bench.initial_state(mode, loaded))
        return self.page(ev, messages=messages, show_all=loaded is not None)

    def start_kind(self) -> str:
        return "auftrag" if self.start.framework_text is not None else "vertrag"

    async def submit(self, request: Request) -> Response:
        form = await self.form(request)
        try:
            mode = self.mode_from_form(form)
        except ContractgenError as error:
            return self.error_page(error)
        state, _ = self.state(form, mode)
        sample = _int(form.get("_beispiel"))
        ev = self.with_sample(self.bench.evaluate(mode, state), sample)
        return self.page(ev, show_all=form.get("_aktion") in ("pruefen", None), sample=sample)

    async def api_state(self, request: Request) -> Response:
        form = await self.form(request)
        try:
            mode = self.mode_from_form(form)
        except ContractgenError as error:
            return JSONResponse({"fatal": error.message}, status_code=422)
        state, touched = self.state(form, mode)
        # lawyers: the stamp of the files as they were BEFORE this answer read them — a clause
        # saved while it is being computed then differs from it, and the page asks again
        stamp = self.lawyer.stamp() if self.lawyer is not None else None
        ev = self.with_sample(self.bench.evaluate(mode, state), _int(form.get("_beispiel")))
        data = client_json(ev, self.bench, lists=[touched] if touched else [])
        if stamp is not None:
            data["library_stamp"] = stamp
        return JSONResponse(data)

    async def download(self, request: Request) -> Response:
        fmt = request.path_params["fmt"]
        if fmt not in FORMATS:
            return Response("Unbekanntes Format.", status_code=404)
        form = await self.form(request)
        try:
            mode = self.mode_from_form(form)
        except ContractgenError as error:
            return self.error_page(error)
        state, _ = self.state(form, mode)
        ev = self.bench.evaluate(mode, state)
        if not ev.complete:
            return self.page(ev, show_all=True, status=422, messages=[
                "Herunterladen geht erst, wenn alle Angaben vollständig und gültig sind."])
        if fmt == "pdf" and not pdf_available():
            return self.page(ev, status=422, messages=[
                "Für PDF wird LibreOffice gebraucht, es ist auf diesem Rechner nicht installiert."])
        try:
            data, name = self.bench.render(ev, fmt)
        except ContractgenError as error:
            return self.page(ev, status=422, messages=[error.message])
        return Response(data, media_type=MIME[fmt], headers={
            "content-disposition": f"attachment; filename*=UTF-8''{quote(name)}"})

    async def load(self, request: Request) -> Response:
        """An answers file from the browser (multipart upload), read in memory."""
        form = await self.form(request)
        try:
            mode = self.mode_from_form(form)
            data, name = await read_upload(form)
            raw = decode_upload(data, name)
        except ContractgenError as error:
            return self.error_page(error)
        ev = self.bench.evaluate(mode, self.bench.initial_state(mode, raw))
        lost = [f"Nicht übernommen aus {name}: {p}" for p in self.bench.unplaced(mode, raw)]
        return self.page(ev, messages=[f"Geladen: {name}", *lost], show_all=True)

    async def framework(self, request: Request) -> Response:
        """Start an individual order: the framework's answers file from the browser."""
        form = await self.form(request)
        try:
            data, name = await read_upload(form, FRAMEWORK_NAME)
            decode_upload(data, name)            # bounds, encoding, YAML: the same messages
            mode = self.bench.order_mode(data.decode("utf-8-sig"), name)
        except ContractgenError as error:
            return self.error_page(error)
        ev = self.bench.evaluate(mode, self.bench.initial_state(mode))
        return self.page(ev, messages=[f"Rahmenvertrag geladen: {name}. Was er festlegt, wird "
                                       "nicht gefragt."])

    async def order_from_contract(self, request: Request) -> Response:
        """The contract in the form is a framework: start an individual order under it."""
        form = await self.form(request)
        mode, _ = self.bench.contract_mode()
        state, _ = self.state(form, mode)
        ev = self.bench.evaluate(mode, state)
        if not ev.complete or ev.values.get("vertragsart") != "rahmenvertrag" \
                or ev.answers_yaml is None:
            return self.page(ev, show_all=True, status=422, messages=[
                "Ein Einzelauftrag braucht einen vollständigen Rahmenvertrag: bitte alle Angaben "
                "machen und „Rahmenvertrag“ wählen. Tipp: vorher die Antwortdatei herunterladen, "
                "sie ist die Grundlage des Einzelauftrags („contractgen auftrag“)."])
        try:
            order = self.bench.order_mode(ev.answers_yaml, FRAMEWORK_NAME)
        except ContractgenError as error:
            return self.error_page(error)
        order_ev = self.bench.evaluate(order, self.bench.initial_state(order))
        return self.page(order_ev, messages=[
            "Einzelauftrag zu diesem Rahmenvertrag. Laden Sie vorher die Antwortdatei des "
            f"Rahmenvertrags herunter (als {FRAMEWORK_NAME}): „contractgen auftrag“ braucht "
            "beide Dateien."])

    async def sample(self, request: Request) -> Response:
        """Lawyers: the contract for one of the lint's sample combinations."""
        form = await self.form(request)
        if self.lawyer is None:
            return Response("Nur mit --library.", status_code=404)
        index = _int(form.get("beispiel"))
        raw = self.lawyer.sample_raw(index) if index is not None else None
        mode, _ = self.bench.contract_mode()
        if raw is None or index is None:
            return self.error_page(AnswersError("Diese Kombination gibt es nicht (mehr)."))
        ev = self.with_sample(self.bench.evaluate(mode, self.bench.initial_state(mode, raw)), index)
        return self.page(ev, show_all=False, sample=index,
                         messages=[f"Kombination {index + 1}: {self.lawyer.sample_labels()[index]}"])

    async def library_status(self, request: Request) -> Response:
        if self.lawyer is None:
            return JSONResponse({"lawyer": False})
        return JSONResponse(self.lawyer.status_json(self.context()))

    def routes(self) -> list[Any]:
        return [
            Route("/", self.index, methods=["GET"]),
            Route("/", self.submit, methods=["POST"]),
            Route("/api/zustand", self.api_state, methods=["POST"]),
            Route("/api/bibliothek", self.library_status, methods=["GET"]),
            Route("/herunterladen/{fmt}", self.download, methods=["POST"]),
            Route("/laden", self.load, methods=["POST"]),
            Route("/rahmen", self.framework, methods=["POST"]),
            Route("/auftrag", self.order_from_contract, methods=["POST"]),
            Route("/beispiel", self.sample, methods=["POST"]),
            Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
        ]


def create_app(bench: Workbench, secrets: Secrets, start: Start | None = None,
               lawyer: Any = None) -> Guard:
    web = WebApp(bench, secrets, start, lawyer)

    async def internal_error(request: Request, exc: Exception) -> Response:
        return PlainTextResponse(INTERNAL, status_code=500)   # Guard prints the one line

    async def not_found(request: Request, exc: Exception) -> Response:
        return PlainTextResponse("Diese Seite gibt es nicht.", status_code=404)

    async def not_allowed(request: Request, exc: Exception) -> Response:
        return PlainTextResponse("Diese Methode ist hier nicht erlaubt.", status_code=405)

    app = Starlette(routes=web.routes(), exception_handlers={
        404: not_found, 405: not_allowed, 500: internal_error})
    return Guard(app, secrets)


async def read_upload(form: FormData, default: str = "antworten.yaml") -> tuple[bytes, str]:
    upload = form.get("datei")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise AnswersError("Bitte zuerst eine Datei auswählen.")
    data = await upload.read(MAX_FILE_BYTES + 1)
    return data, clean_name(upload.filename or default)


def clean_name(name: str, default: str = FRAMEWORK_NAME) -> str:
    """A file name from the browser, only for display and comments: no path, no control
    characters, no line breaks (it ends up in a YAML comment)."""
    stem = safe_file_stem(Path(name.replace("\\", "/")).stem or "")
    return f"{stem}.yaml" if stem else default


def apply_action(state: FormState, action: str) -> str | None:
    """Add or remove an entry of a list (no-JS buttons); the list's path, if one changed."""
    match = _ACTION_RE.match(action)
    if match is None:
        return None
    verb, target = match.groups()
    if verb == "hinzufuegen":
        if target not in state.rows:
            return None
        if state.rows[target] < formstate.MAX_ROWS:
            state.rows[target] += 1
        return target
    entry = re.match(r"^(?P<list>.+)\[(?P<row>\d{1,3})\]$", target)
    if entry is None or entry.group("list") not in state.rows:
        return None
    name, row = entry.group("list"), int(entry.group("row"))
    rows = state.rows[name]
    if not 1 <= row <= rows:
        return name
    texts = {}
    for key, value in state.texts.items():
        found = re.match(re.escape(name) + r"\[(\d+)\]\.(.+)$", key)
        if found is None:
            texts[key] = value
            continue
        index = int(found.group(1))
        if index == row:
            continue
        texts[f"{name}[{index - 1 if index > row else index}].{found.group(2)}"] = value
    state.texts = texts
    state.rows[name] = rows - 1
    return name


def _int(value: Any) -> int | None:
    try:
        return int(str(value)) if value is not None else None
    except ValueError:
        return None

"""`contractgen web`: the interview as a local web page with a live preview.

Modules: core (the bridge to the pipeline: validate, build, render), formstate (HTML form
fields <-> the raw answers tree), page (the HTML page, Jinja with autoescape), security (token,
CSRF, Host check, size limits), app (the Starlette routes), lawyer (library watch, lint, sample
combinations), server (port, uvicorn, browser, Ctrl-C).

Nothing here is imported by the other commands; the web stack is the optional extra
`contractgen[web]`.
"""

INSTALL_HINT = ('Für „contractgen web“ fehlen Pakete. Installieren mit: '
                'pip install "contractgen[web]"')


def missing_packages() -> list[str]:
    """The packages of the [web] extra that are not installed (without importing them)."""
    from importlib.util import find_spec

    return [name for name, module in (("starlette", "starlette"), ("uvicorn", "uvicorn"),
                                      ("python-multipart", "python_multipart"))
            if find_spec(module) is None]

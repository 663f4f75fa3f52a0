"""Loads a Lambda handler exactly as deployed: the inline `Code.ZipFile` of a
function in a generated template under out/.

With STACKCRAFT_HANDLER_SOURCE=templates the source is read from
templates/lambda/<file>.py.j2 instead (rendered with an empty context, as the
Rust side does), so handler changes can be tested before out/ is regenerated.
"""

import importlib.util
import itertools
import json
import os
import pathlib
import re
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
_counter = itertools.count()

# Logical id -> templates/lambda/<file>.py.j2 (for STACKCRAFT_HANDLER_SOURCE=templates).
TEMPLATE_FILES = {
    "TodoApiFunction": "todo_api",
    "PostsApiFunction": "posts_api",
    "WelcomeEmailFunction": "welcome_email",
    "ThumbnailFunction": "thumbnail",
    "ApiFunction": "micro_api",
    "ConsumerFunction": "micro_consumer",
}
JINJA_SYNTAX = re.compile(r"\{\{|\{%|\{#")


def _template_path(template: str) -> pathlib.Path:
    # "blog", "blog.template.json" and "micro/catalog.template.json" all work.
    name = template if template.endswith(".json") else f"{template}.template.json"
    return ROOT / "out" / name


def render_template_file(logical_id: str) -> str:
    """The handler as minijinja renders it: the handler templates take no
    context, so rendering is the identity unless they use template syntax."""
    path = ROOT / "templates" / "lambda" / f"{TEMPLATE_FILES[logical_id]}.py.j2"
    text = path.read_text()
    if JINJA_SYNTAX.search(text):
        import jinja2  # only needed if a handler template ever uses jinja syntax

        env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
        text = env.from_string(text).render()
    return text


def handler_source(template: str, logical_id: str) -> str:
    """The inline source of `logical_id` in out/<template> (or its template file)."""
    if os.environ.get("STACKCRAFT_HANDLER_SOURCE") == "templates" and logical_id in TEMPLATE_FILES:
        return render_template_file(logical_id)
    doc = json.loads(_template_path(template).read_text())
    code = doc["Resources"][logical_id]["Properties"]["Code"]["ZipFile"]
    if not isinstance(code, str):
        raise TypeError(f"{logical_id}: Code.ZipFile is not a plain string: {code!r:.200}")
    return code


def load_handler(template: str, logical_id: str):
    """Imports the function's code as a fresh module, so environment
    variables set (and mocks started) before the call are honoured."""
    source = handler_source(template, logical_id)
    folder = pathlib.Path(tempfile.mkdtemp(prefix="stackcraft-handler-"))
    path = folder / "index.py"
    path.write_text(source)
    name = f"handler_{logical_id}_{next(_counter)}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module

"""Loads a Lambda handler exactly as deployed: the inline `Code.ZipFile` of a
function in a generated template under out/."""

import importlib.util
import itertools
import json
import pathlib
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
_counter = itertools.count()


def handler_source(template: str, logical_id: str) -> str:
    """The inline source of `logical_id` in out/<template>."""
    doc = json.loads((ROOT / "out" / template).read_text())
    return doc["Resources"][logical_id]["Properties"]["Code"]["ZipFile"]


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

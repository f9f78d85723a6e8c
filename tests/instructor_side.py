"""The instructor's reference module (``solutions/exercise_references.py``) for tests.

It is not part of the package, so tests import it by path, as ``exercise-keys`` does.
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path
from types import ModuleType

REFERENCE_MODULE = Path(__file__).resolve().parents[1] / "solutions" / "exercise_references.py"


@functools.cache
def references_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("exercise_references", REFERENCE_MODULE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module

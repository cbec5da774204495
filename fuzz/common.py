"""What both atheris harnesses share: the repository on ``sys.path`` (for the checks in
``tests/hardening/checks.py``) and libFuzzer's start with our defaults."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run as `python fuzz/x.py`: make `tests` importable


def fuzz(test_one_input: Callable[[bytes], None], seed_corpus: Callable[[], str],
         warm_up: Iterable[bytes]) -> None:
    """Run libFuzzer on ``test_one_input``: a seed corpus unless a corpus folder is given,
    ``fuzz/yaml.dict`` unless ``-dict=`` is; ``warm_up`` inputs run first, so that every
    lazily imported module is loaded before atheris instruments them."""
    import atheris

    args = list(sys.argv)
    if not any(not a.startswith("-") for a in args[1:]):
        args.append(seed_corpus())
    if not any(a.startswith("-dict=") for a in args[1:]):
        args.append(f"-dict={HERE / 'yaml.dict'}")
    for data in warm_up:
        test_one_input(data)
    atheris.instrument_all()
    atheris.Setup(args, test_one_input)
    atheris.Fuzz()

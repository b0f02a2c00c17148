"""Command line: `python -m regimens recommend CASE.json|-`, `recommend --batch CASES.jsonl`, `schema`.

Exit 0 with a result; exit 2 with one line `error: <message>` on stderr for invalid input (never a
traceback). In batch mode a bad line yields {"line": n, "error": "..."} on its output line and the batch
goes on (exit 0).
"""

import argparse
import json
import sys
from typing import BinaryIO, TextIO

from regimens.engine import recommend
from regimens.inputs import InvalidInput, OverlongNumber, input_schema

EXIT_INVALID = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, like invalid input
        raise InvalidInput("", message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m regimens", description="HER2 mCRC regimen engine (contract v1)")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    rec = commands.add_parser("recommend", help="recommend for one case (JSON file or '-') or a JSONL batch")
    rec.add_argument("case", nargs="?", help="CASE.json, or '-' for stdin")
    rec.add_argument("--batch", metavar="CASES.jsonl", help="one JSON case per line ('-' for stdin)")
    commands.add_parser("schema", help="print the input JSON Schema")
    return parser


def _open_binary(path: str) -> BinaryIO:
    try:
        return sys.stdin.buffer if path == "-" else open(path, "rb")
    except OSError as error:
        raise InvalidInput("", f"cannot read {path}: {error.strerror}") from None


class _ObjectWithDuplicates(dict):
    """A JSON object that gave some key more than once (only built when it did)."""

    def __init__(self, pairs: list[tuple[str, object]]) -> None:
        super().__init__(pairs)
        seen: set[str] = set()
        self.duplicates = [key for key, _ in pairs if key in seen or seen.add(key)]




def _parse_int(digits: str) -> int | OverlongNumber:
    # Python refuses to convert very long integers; say which field got one instead of failing the document.
    return OverlongNumber(len(digits.lstrip("-"))) if len(digits) > sys.get_int_max_str_digits() else int(digits)


def _first_duplicate(value: object, path: str = "") -> str | None:
    """The dotted path of the first key given twice in one object, anywhere in the document."""
    if isinstance(value, _ObjectWithDuplicates):
        return f"{path}{value.duplicates[0]}"
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in children:
        found = _first_duplicate(child, f"{path}{key}." if isinstance(key, str) else path)
        if found:
            return found
    return None


def _load_json(raw: bytes) -> object:
    duplicates_found = []

    def as_object(pairs: list[tuple[str, object]]) -> dict:
        obj = dict(pairs)
        if len(obj) == len(pairs):
            return obj
        duplicates_found.append(True)
        return _ObjectWithDuplicates(pairs)

    try:
        data = json.loads(raw, object_pairs_hook=as_object, parse_int=_parse_int)
    except RecursionError:
        raise InvalidInput("", "input is not valid JSON: nested too deeply") from None
    except json.JSONDecodeError as error:
        raise InvalidInput("", f"input is not valid JSON: {error.msg}") from None
    except UnicodeDecodeError:  # bytes that are not UTF-8/16/32 text
        raise InvalidInput("", "input is not valid JSON: not UTF-8 text") from None
    except ValueError as error:  # anything else the parser refuses, said as it is
        raise InvalidInput("", f"input is not valid JSON: {error}") from None
    if duplicates_found:
        duplicate = _first_duplicate(data)
        shown = json.dumps(duplicate)[1:-1]  # the caller's text, escaped to stay on one line
        raise InvalidInput(shown, f"{shown} is given twice in one object; give each key once")
    return data


_ENCODER = json.JSONEncoder(allow_nan=False, check_circular=False)  # built once, not per line


def _dumps(result: dict) -> str:
    return _ENCODER.encode(result)


def recommend_one(path: str, out: TextIO) -> None:
    with _open_binary(path) as stream:
        raw = stream.read()
    out.write(_dumps(recommend(_load_json(raw))) + "\n")


def recommend_batch(path: str, out: TextIO) -> None:
    """One output line per input line, in order; an empty or bad line gets an error object."""
    with _open_binary(path) as stream:
        for number, line in enumerate(stream, start=1):
            out.write(_batch_line(number, line))


def _batch_line(number: int, line: bytes) -> str:
    try:
        if not line.strip():
            raise InvalidInput("", "empty line")
        return _dumps(recommend(_load_json(line))) + "\n"
    except InvalidInput as error:
        return _dumps({"line": number, "error": error.message, "field": error.field}) + "\n"


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
        if args.command == "schema":
            sys.stdout.write(json.dumps(input_schema(), indent=2) + "\n")
        elif args.batch and args.case:
            raise InvalidInput("", "give either CASE.json (or '-') or --batch CASES.jsonl, not both")
        elif args.batch:
            recommend_batch(args.batch, sys.stdout)
        elif args.case:
            recommend_one(args.case, sys.stdout)
        else:
            raise InvalidInput("", "recommend needs CASE.json, '-' or --batch CASES.jsonl")
    except InvalidInput as error:
        sys.stderr.write(f"error: {error.message}\n")
        return EXIT_INVALID
    return 0

"""``werkbaar questionnaire list | import FILE | export ID VERSION [-o FILE] | activate ID
VERSION``: the employee questionnaire's versions kept in the database
(:mod:`assessment.questionnaire_store`), as the server's operator (audited as "werkbaar
(server)").

Quiet on success but for what was asked (the list, the exported text); ``-v`` says what was
done. A refusal goes to stderr, prefixed with the command (one line, or a line and one line
per problem), with exit code 1; nothing is changed then.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import audit, questionnaire_store
from .context import Context
from .questionnaire import QuestionnaireError

ACTIONS = ("list", "import", "export", "activate")


def add_parser(commands) -> None:
    """The ``questionnaire`` command and its four actions, on ``commands`` (argparse's
    sub-parsers of ``werkbaar``)."""
    parser = commands.add_parser("questionnaire", help="list, import, export or activate the "
                                 "employee questionnaire's versions kept in the database")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    actions.add_parser("list", help="every stored version: imported when and by whom, active "
                       "or not, how many rounds use it")
    imported = actions.add_parser("import", help="store a questionnaire file as a new version "
                                  "(not active; a stored version never changes)")
    imported.add_argument("file", metavar="FILE")
    exported = actions.add_parser("export", help="write a stored version's text, as imported "
                                  "(to standard output unless -o)")
    activated = actions.add_parser("activate", help="make a stored version the one new rounds "
                                   "use (refused when a text lacks a language)")
    for sub in (exported, activated):
        sub.add_argument("questionnaire_id", metavar="ID", help="e.g. employee")
        sub.add_argument("version", type=int, metavar="VERSION")
    exported.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead")
    for sub in actions.choices.values():
        sub.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS,
                         help="say what was done")


def run(args: argparse.Namespace, database) -> int:
    """Run one action on ``database`` (one context for the command)."""
    name = f"werkbaar questionnaire {args.action}"
    try:
        with Context(database) as ctx:
            return _ACTIONS[args.action](ctx, args)
    except QuestionnaireError as error:
        if len(error.problems) == 1:
            print(f"{name}: {error.problems[0]}; nothing was changed", file=sys.stderr)
        else:
            print(f"{name}: {len(error.problems)} problems; nothing was changed:\n  "
                  + "\n  ".join(error.problems), file=sys.stderr)
    except KeyError as error:
        print(f"{name}: {error.args[0]} is not stored (werkbaar questionnaire list shows what "
              "is)", file=sys.stderr)
    except OSError as error:
        print(f"{name}: {error.filename or args.file}: {error.strerror or error}",
              file=sys.stderr)
    return 1


def _list(ctx, args) -> int:
    for v in questionnaire_store.list_versions(ctx):
        state = "active" if v.active else "not active"
        used = f"{v.rounds} rounds (in use: cannot change)" if v.rounds else "0 rounds"
        print(f"{v.questionnaire_id} v{v.version}\t{state}\t{used}\timported "
              f"{v.imported_on.isoformat()} by {v.imported_by}\t{v.title}")
    return 0


def _import(ctx, args) -> int:
    with open(args.file, "rb") as source:  # no more than the store takes: a huge file is not
        data = source.read(questionnaire_store.MAX_BYTES + 1)  # read whole to be refused
    questionnaire, new = questionnaire_store.import_version(
        ctx, data, scope=audit.OPERATOR, name=Path(args.file).name)
    if args.verbose:
        what = f"{questionnaire.id} v{questionnaire.version}"
        print(f"{what} stored, not active (werkbaar questionnaire activate {questionnaire.id} "
              f"{questionnaire.version})" if new
              else f"{what} is stored with the same text already; nothing was changed")
    return 0


def _export(ctx, args) -> int:
    text = questionnaire_store.export_version(ctx, args.questionnaire_id, args.version)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8", newline="")
        if args.verbose:
            print(f"{args.questionnaire_id} v{args.version} written to {args.output}")
    else:  # the bytes as stored, whatever the terminal's encoding
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.buffer.flush()
    return 0


def _activate(ctx, args) -> int:
    questionnaire_store.activate(ctx, args.questionnaire_id, args.version,
                                 scope=audit.OPERATOR)
    if args.verbose:
        print(f"{args.questionnaire_id} v{args.version} is active: new rounds use it; "
              "running rounds keep theirs")
    return 0


_ACTIONS = {"list": _list, "import": _import, "export": _export, "activate": _activate}

"""The practitioner's command line: accounts that nobody can get by signing up, and reset codes.

    python -m lib.admin create-practitioner NAME     # a practitioner account + a code to set her password
    python -m lib.admin reset-code USERNAME          # a one-time code for a participant who forgot hers

No e-mail address is collected, so a forgotten password is solved in person: the practitioner reads
the code out or sends it; it works once, within 24 hours, on the Account page's "forgot password" tab.
"""

from __future__ import annotations

import argparse
import sys

from lib import auth
from lib.store import open_store


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lib.admin", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    create = sub.add_parser("create-practitioner", help="create a practitioner account")
    create.add_argument("name", help="her username (also shown as her name)")
    reset = sub.add_parser("reset-code", help="issue a one-time reset code (valid 24 hours)")
    reset.add_argument("username")
    args = parser.parse_args(argv)
    store = open_store()

    if args.command == "create-practitioner":
        try:
            uid, code = auth.create_practitioner(store, args.name)
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        username = auth.normalise_username(args.name)
        print(f"Practitioner account {username!r} created (id {uid}).")
        print(f"To set her password, use this reset code on the Account page within {auth.RESET_CODE_HOURS} hours:")
        print(f"    {code}")
        return 0

    code = auth.issue_reset_code(store, args.username)
    if code is None:
        print("error: no account with that username", file=sys.stderr)
        return 1
    print(f"Reset code for {auth.normalise_username(args.username)!r}, valid for {auth.RESET_CODE_HOURS} hours, once:")
    print(f"    {code}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

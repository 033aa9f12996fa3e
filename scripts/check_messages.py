"""Fails when a translatable string has no Arabic or French translation, or a catalogue is stale.

Runs makemessages (so a string added without translating it is caught), then reads each .po file
and lists every entry whose msgstr is empty or marked fuzzy; then checks the compiled .mo files
match their .po files.
"""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ABWAB = ROOT / "abwab"
CLI = [sys.executable, "-m", "abwab.cli"]


def untranslated(po: Path) -> list[str]:
    missing = []
    for block in po.read_text(encoding="utf-8").split("\n\n")[1:]:
        msgid = "".join(
            re.findall(r'^(?:msgid|msgid_plural)?\s*"(.*)"$', block.split("msgstr")[0], re.M)
        )
        strs = re.findall(r'^msgstr(?:\[\d\])?\s*"(.*)"\n((?:".*"\n?)*)', block + "\n", re.M)
        empty = not strs or any(
            not (first + "".join(re.findall(r'"(.*)"', rest))) for first, rest in strs
        )
        if block.strip() and not block.lstrip().startswith("#~") and (empty or "#, fuzzy" in block):
            missing.append(msgid)
    return missing


def main() -> int:
    subprocess.run(
        [
            *CLI,
            "makemessages",
            "-l",
            "ar",
            "-l",
            "fr",
            "--no-obsolete",
            "--no-location",
            "-i",
            "names/*",
        ],
        cwd=ABWAB,
        check=True,
        capture_output=True,
    )
    failed = False
    for po in sorted(ABWAB.glob("locale/*/LC_MESSAGES/django.po")):
        if missing := untranslated(po):
            failed = True
            print(f"{po.relative_to(ROOT)}: {len(missing)} untranslated")
            for msgid in missing[:40]:
                print(f"  {msgid!r}")
    # makemessages always rewrites POT-Creation-Date: a catalogue that differs only there is unchanged.
    real = subprocess.run(
        ["git", "diff", "--name-only", "-I", "POT-Creation-Date", "--", "abwab/locale"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout
    if not real.strip():
        subprocess.run(
            ["git", "checkout", "--", "abwab/locale"], cwd=ROOT, check=True, capture_output=True
        )
    subprocess.run([*CLI, "compilemessages"], cwd=ABWAB, check=True, capture_output=True)
    stale = subprocess.run(
        ["git", "status", "--porcelain", "--", "abwab/locale"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout
    if stale.strip():
        failed = True
        print("The catalogues changed when regenerated; run `make messages` and commit:\n" + stale)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

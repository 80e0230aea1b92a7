"""French is complete: every term Odoo exports for our addons has a French translation."""

import os
import subprocess

import polib
import pytest

ADDONS = ["credit_relance", "credit_litige", "credit_community"]


@pytest.mark.parametrize("addon", ADDONS)
def test_french_translation_is_complete(addon, server, root, tmp_path):
    pot_path = tmp_path / f"{addon}.pot"
    python = os.environ.get("PYTHON", "python3")
    subprocess.run(
        [python, "-c", "import sys, odoo.cli; sys.argv[0] = 'odoo'; odoo.cli.main()",
         f"--addons-path={root}", "-d", server["db"], f"--i18n-export={pot_path}",
         f"--modules={addon}", "--stop-after-init", "--log-level=warn"],
        check=True, capture_output=True, timeout=300,
    )
    po_path = root / addon / "i18n" / "fr.po"
    assert po_path.exists(), f"{addon} has no i18n/fr.po"
    french = {entry.msgid: entry for entry in polib.pofile(str(po_path))}
    missing = [
        entry.msgid for entry in polib.pofile(str(pot_path))
        if entry.msgid not in french or not french[entry.msgid].msgstr or "fuzzy" in french[entry.msgid].flags
    ]
    assert not missing, f"{len(missing)} terms of {addon} lack a French translation: {missing[:15]}"

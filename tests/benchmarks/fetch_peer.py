"""Download OCA's account_credit_control (and the OCA addons it depends on) for the benchmark only.

``python -m tests.benchmarks.fetch_peer DEST [VERSION_SPEC [PACKAGE]]`` runs ``pip download --no-deps``
for the wheel of ``PACKAGE`` (default ``odoo-addon-account-credit-control``, version ``==18.0.*``),
then for every ``odoo-addon-*`` it requires, and unpacks each addon from its wheel
(``odoo/addons/<name>``) into ``DEST/addons``. The test command fetches OCA's queue_job the same
way (``PACKAGE`` ``odoo-addon-queue-job``) for the tests of the optional queue_job path. Nothing
is installed into Python: ``pip install`` of these wheels would write into site-packages/odoo/addons;
the benchmark (or the test) adds ``DEST/addons`` to its database's addons path instead.
"""

import pathlib
import re
import shutil
import subprocess
import sys
import zipfile

PEER = "odoo-addon-account-credit-control"
ADDON_REQUIREMENT = re.compile(r"^Requires-Dist:\s*(odoo-addon-[A-Za-z0-9_.-]+)\s*(.*)$")


def download(requirement, wheels):
    before = set(wheels.glob("*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--quiet",
                    "--dest", str(wheels), requirement], check=True)
    new = set(wheels.glob("*.whl")) - before
    name = re.split(r"[<>=!~ ;]", requirement, maxsplit=1)[0].replace("-", "_").lower()
    return new or {w for w in wheels.glob("*.whl") if w.name.lower().startswith(name)}


def unpack(wheel, addons):
    """Extract the addon folders of ``wheel`` into ``addons``; return its odoo-addon requirements."""
    requirements = []
    with zipfile.ZipFile(wheel) as archive:
        for member in archive.namelist():
            parts = member.split("/")
            if len(parts) > 3 and parts[:2] == ["odoo", "addons"] and not member.endswith("/"):
                target = addons.joinpath(*parts[2:])
                target.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(member) as source, open(target, "wb") as out:
                    shutil.copyfileobj(source, out)
            elif member.endswith(".dist-info/METADATA"):
                for line in archive.read(member).decode("utf-8").splitlines():
                    match = ADDON_REQUIREMENT.match(line)
                    if match and "extra ==" not in match.group(2):
                        requirements.append((match.group(1) + match.group(2).split(";")[0]).strip())
    return requirements


def main(argv):
    dest = pathlib.Path(argv[0]).resolve()
    spec = argv[1] if len(argv) > 1 else "==18.0.*"
    package = argv[2] if len(argv) > 2 else PEER
    wheels, addons = dest / "wheels", dest / "addons"
    shutil.rmtree(addons, ignore_errors=True)
    wheels.mkdir(parents=True, exist_ok=True)
    addons.mkdir(parents=True)
    queue, seen = [package + spec], set()
    while queue:
        requirement = queue.pop()
        if requirement in seen:
            continue
        seen.add(requirement)
        for wheel in download(requirement, wheels):
            print(f"peer: {wheel.name}")
            queue.extend(unpack(wheel, addons))
    print(f"peer addons in {addons}: {', '.join(sorted(p.name for p in addons.iterdir()))}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

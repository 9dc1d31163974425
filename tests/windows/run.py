"""The Windows build of the `vardesk` command line under Wine, checked against the Linux build.

Run by scripts/test-windows.sh (which builds both). Each check prints `ok` or `FAIL` with the
reason; the last line says `N passed, M failed` and the exit code is 1 when any failed.
Paths are Windows paths (`C:\\…`, `Z:\\…` for the Linux file system) as a Windows user has.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(os.environ.get("VARDESK_FIXTURES", REPO.parent / "shared" / "fixtures"))
LINUX = REPO / "target" / "release" / "vardesk"
EXE = REPO / "target" / "windows" / "x86_64-pc-windows-gnu" / "release" / "vardesk.exe"
WINE = os.environ.get("WINE", "/usr/lib/wine/wine64")

passed, failed = 0, 0


def check(name, fn):
    global passed, failed
    try:
        fn()
        passed += 1
        print(f"ok    {name}")
    except Exception as e:  # a failed check is reported, the others still run
        failed += 1
        print(f"FAIL  {name}: {e}")


def run(cmd, env, stdin=b"", expect=0):
    p = subprocess.run(cmd, input=stdin, capture_output=True, env=env, timeout=120)
    if expect is not None and p.returncode != expect:
        raise AssertionError(f"{cmd[1:]} exited {p.returncode}: {p.stderr.decode(errors='replace')[-400:]}")
    return p


def main():
    work = Path(tempfile.mkdtemp(prefix="vardesk-wine-"))
    env = dict(os.environ, WINEPREFIX=str(work / "prefix"), WINEDEBUG="-all", WINEDLLOVERRIDES="mscoree,mshtml=")
    # The exe under test and the test-only ProcessPrng stand-in beside it.
    bin_dir = work / "bin"
    bin_dir.mkdir()
    shutil.copy(EXE, bin_dir / "vardesk.exe")
    subprocess.run(["x86_64-w64-mingw32-gcc", "-shared", "-O2", "-o", str(bin_dir / "bcryptprimitives.dll"),
                    str(REPO / "tests" / "windows" / "processprng.c"), "-ladvapi32"], check=True)
    exe = [WINE, str(bin_dir / "vardesk.exe")]
    linux = [str(LINUX)]
    subprocess.run([WINE, "wineboot", "-i"], env=env, capture_output=True, timeout=300)
    drive_c = work / "prefix" / "drive_c"

    def win(path):
        """A Linux path as Wine's Z: drive shows it."""
        return "Z:" + str(path).replace("/", "\\")

    check("vardesk.exe --version", lambda: run(exe + ["--version"], env))

    def fixtures():
        files = sorted(FIXTURES.rglob("*.json"))
        assert len(files) >= 60, f"fixtures missing at {FIXTURES}"
        wrong = []
        for f in files:
            case = json.loads(f.read_text(encoding="utf-8"))
            op, data = case["op"], case["input"]
            if op == "inventory":
                data = dict(data, path=str(f.parent / data["path"]))
            expected = json.loads(run(linux + ["calc", op], env, json.dumps(data).encode()).stdout)
            if op == "inventory":
                data = dict(data, path=win(data["path"]))
            got = json.loads(run(exe + ["calc", op], env, json.dumps(data).encode()).stdout)
            if got != expected:
                wrong.append(f.name)
        assert not wrong, f"{len(wrong)} of {len(files)} differ: {wrong[:5]}"

    check("every fixture through `calc` gives what the Linux build gives", fixtures)

    # The books in a user's folder with letters outside ASCII and spaces in its name.
    home = drive_c / "users" / "Zoë Ångström" / "AppData" / "Roaming" / "VarDesk"
    home.mkdir(parents=True)
    db = "C:\\users\\Zoë Ångström\\AppData\\Roaming\\VarDesk\\vardesk.sqlite3"
    check("init --sample-data under C:\\users\\Zoë Ångström\\…",
          lambda: run(exe + ["--db", db, "init", "--sample-data"], env))

    def billing():
        p = run(exe + ["--db", db, "billing", "run", "2026-12", "--issue"], env)
        assert p.stdout.strip(), "the run printed nothing"

    check("a billing run with issue", billing)
    check("check finds nothing wrong", lambda: run(exe + ["--db", db, "check"], env))

    # PDFs from books made on Linux, read on Windows: the same text as Linux prints.
    books = work / "linux-books.sqlite3"
    run(linux + ["--db", str(books), "init", "--sample-data"], env)
    invoice = json.loads(run(linux + ["--db", str(books), "invoices", "list", "--json"], env).stdout)
    issued = next(i for i in invoice["invoices"] if i.get("number") and i["currency"] == "EUR")
    for kind, args in (("invoice", ["invoices", "pdf", str(issued["id"])]), ("quote", ["quotes", "pdf", "1"])):
        def pdf_text(kind=kind, args=args):
            lin, wnd = work / f"{kind}-linux.pdf", work / f"{kind}-windows.pdf"
            run(linux + ["--db", str(books)] + args + ["--out", str(lin)], env)
            run(exe + ["--db", win(books)] + args + ["--out", win(wnd)], env)
            text = [subprocess.run(["pdftotext", "-layout", str(f), "-"], capture_output=True, check=True).stdout
                    for f in (lin, wnd)]
            assert text[0] == text[1], f"the {kind} PDFs' text differs"
        check(f"{kind} PDF from books made on Linux: the same text as the Linux build's", pdf_text)

    def backup_restore():
        out = "C:\\users\\Zoë Ångström\\Documents\\before.vardesk"
        (drive_c / "users" / "Zoë Ångström" / "Documents").mkdir(parents=True, exist_ok=True)
        run(exe + ["--db", db, "backup", "--out", out], env)
        run(exe + ["--db", db, "restore", out], env)
        run(exe + ["--db", db, "check"], env)

    check("backup and restore", backup_restore)

    # N: as a mapped network drive: Wine reports a drive's type from its registry.
    share = work / "share"
    share.mkdir()
    (work / "prefix" / "dosdevices" / "n:").symlink_to(share)
    run([WINE, "reg", "add", "HKLM\\Software\\Wine\\Drives", "/v", "n:", "/d", "network", "/f"], env)

    def network_paths():
        for path in ("\\\\fileserver\\books\\vardesk.sqlite3", "N:\\vardesk.sqlite3"):
            p = run(exe + ["--db", path, "check"], env, expect=None)
            said = p.stderr.decode(errors="replace")
            assert p.returncode != 0 and "network" in said.lower(), f"{path}: exit {p.returncode}, {said[-200:]}"

    check("a UNC path and a mapped network drive are refused as network locations", network_paths)

    def lock():
        # A long import holds the books; a second writer meanwhile is refused, not queued.
        big = work / "many.csv"
        big.write_text("name;city;country\n" + "".join(f"Customer {i};Leeds;GB\n" for i in range(60000)),
                       encoding="utf-8")
        first = subprocess.Popen(exe + ["--db", db, "customers", "import", win(big)], env=env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            import time
            time.sleep(2.5)
            assert first.poll() is None, "the long import ended before the second writer started"
            p = run(exe + ["--db", db, "billing", "run", "2027-01"], env, expect=None)
            said = p.stderr.decode(errors="replace")
            assert p.returncode != 0 and "already working" in said, f"exit {p.returncode}: {said[-200:]}"
        finally:
            first.wait(timeout=300)
        run(exe + ["--db", db, "check"], env)

    check("a second writer is refused while a first holds the books", lock)

    def csv_imports():
        rows = "name;city;country\r\nZoë Ångström AB;Malmö;SE\r\nŁódź Logistics;Łódź;PL\r\n"
        for label, data in (("crlf", rows.encode("utf-8")), ("utf16", rows.encode("utf-16"))):
            f = work / f"{label}.csv"
            f.write_bytes(data)
            books16 = f"C:\\users\\Zoë Ångström\\{label}.sqlite3"
            run(exe + ["--db", books16, "init", "--company", "Test GmbH", "--country", "DE"], env)
            run(exe + ["--db", books16, "customers", "import", win(f)], env)
            listed = run(exe + ["--db", books16, "customers", "list", "--json"], env).stdout.decode("utf-8")
            assert "Zoë Ångström AB" in listed and "Łódź Logistics" in listed, f"{label}: {listed[:200]}"

    check("CRLF and UTF-16 customer CSVs import with their letters", csv_imports)

    print(f"{passed} passed, {failed} failed")
    shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

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
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(os.environ.get("VARDESK_FIXTURES", REPO.parent / "shared" / "fixtures"))
LINUX = REPO / "target" / "release" / "vardesk"
# What `scripts/build-windows.sh --test` built.
BUILT = REPO / "target" / "windows"
EXE = BUILT / "x86_64-pc-windows-gnu" / "windows-test" / "vardesk.exe"
DESKTOP = EXE.parent / "vardesk-desktop.exe"
WINE = os.environ.get("WINE", "/usr/lib/wine/wine64")
WINESERVER = str(Path(WINE).parent / "wineserver")

passed, failed = 0, 0


def check(name, fn):
    global passed, failed
    started = time.monotonic()
    try:
        fn()
        passed += 1
        print(f"ok    {name}  ({time.monotonic() - started:.1f} s)", flush=True)
    except Exception as e:  # a failed check is reported, the others still run
        failed += 1
        print(f"FAIL  {name}  ({time.monotonic() - started:.1f} s): {e}", flush=True)


def run(cmd, env, stdin=b"", expect=0):
    p = subprocess.run(cmd, input=stdin, capture_output=True, env=env, timeout=120)
    if expect is not None and p.returncode != expect:
        raise AssertionError(f"{cmd[1:]} exited {p.returncode}: {p.stderr.decode(errors='replace')[-400:]}")
    return p


def start_xvfb():
    """An X server of its own (Wine's windows and the app's dialog): Xvfb picks a free display
    number and says which."""
    said_display, told = os.pipe()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(told), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                            pass_fds=(told,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(told)
    number = b""
    while not number.endswith(b"\n"):
        chunk = os.read(said_display, 16)
        assert chunk, "Xvfb did not start"
        number += chunk
    os.close(said_display)
    return xvfb, ":" + number.decode().strip()


def main():
    work = Path(tempfile.mkdtemp(prefix="vardesk-wine-"))
    xvfb, display = start_xvfb()
    env = dict(os.environ, WINEPREFIX=str(work / "prefix"), WINEDEBUG="-all", WINEDLLOVERRIDES="mscoree,mshtml=",
               DISPLAY=display)
    env.pop("VARDESK_DATA_DIR", None)
    # The exe under test and the test-only ProcessPrng stand-in beside it.
    bin_dir = work / "bin"
    bin_dir.mkdir()
    shutil.copy(EXE, bin_dir / "vardesk.exe")
    subprocess.run(["x86_64-w64-mingw32-gcc", "-shared", "-O2", "-o", str(bin_dir / "bcryptprimitives.dll"),
                    str(REPO / "tests" / "windows" / "processprng.c"), "-ladvapi32"], check=True)
    subprocess.run([WINE, "wineboot", "-i"], env=env, capture_output=True, timeout=300)
    # N: as a mapped network drive: Wine reports a drive's type from its registry, read when
    # its services start — so before the server that stays up.
    share = work / "share"
    share.mkdir()
    (work / "prefix" / "dosdevices" / "n:").symlink_to(share)
    run([WINE, "reg", "add", "HKLM\\Software\\Wine\\Drives", "/v", "n:", "/d", "network", "/f"], env)
    subprocess.run([WINESERVER, "-w"], env=env, timeout=120)
    # One Wine server for the whole run (started per process otherwise: 1.3 s instead of 0.1 s).
    subprocess.run([WINESERVER, "-p"], env=env, check=True)
    # Its services start with the first process and outlive it: started here without pipes,
    # or a check capturing a process's output would wait for them.
    subprocess.run([WINE, "wineboot"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
    try:
        return checks(work, env, bin_dir)
    finally:
        subprocess.run([WINESERVER, "-k"], env=env)
        xvfb.terminate()
        shutil.rmtree(work, ignore_errors=True)


def checks(work, env, bin_dir):
    exe = [WINE, str(bin_dir / "vardesk.exe")]
    linux = [str(LINUX)]
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

    # N: is a mapped network drive (set up in main).

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

    def print_verbs():
        # The printing code's Windows-only unit test (crates/vardesk-pdf/src/print.rs) and the
        # stand-in viewer it starts, each beside its own shim.
        test_exe = (BUILT / "print-test.txt").read_text(encoding="utf-8")
        recorder = Path(test_exe).parent.parent / "examples" / "print_recorder.exe"
        for folder, exe_file in (("deps", test_exe), ("examples", recorder)):
            (bin_dir / folder).mkdir(exist_ok=True)
            shutil.copy(exe_file, bin_dir / folder / Path(exe_file).name)
            shutil.copy(bin_dir / "bcryptprimitives.dll", bin_dir / folder)
        p = run([WINE, str(bin_dir / "deps" / Path(test_exe).name), "windows_tests", "--test-threads=1"], env,
                expect=None)
        said = p.stdout.decode(errors="replace")
        assert p.returncode == 0 and "1 passed" in said, f"exit {p.returncode}: {said[-600:]} {p.stderr[-400:]!r}"

    check("printing: the print and printto verbs get the path and the printer as whole arguments", print_verbs)

    def desktop():
        # The app's start-up up to the webview, with the data in the user's roaming folder.
        app = bin_dir / "vardesk-desktop.exe"
        shutil.copy(DESKTOP, app)
        for dll in DESKTOP.parent.glob("*.dll"):
            shutil.copy(dll, bin_dir)
        started = None
        try:
            started = subprocess.Popen([WINE, str(app)], env=env, stdout=subprocess.PIPE,
                                       stderr=subprocess.PIPE)
            # WebView2 cannot be installed here: the app stops at Tauri's dialog saying so.
            dialog = subprocess.run(["xdotool", "search", "--sync", "--name", "^Error$"], env=env,
                                    capture_output=True, timeout=120).stdout.split()
            assert dialog, "no dialog"
            shot = REPO / "tests" / "e2e" / "artifacts" / "windows-webview2-check.png"
            shot.parent.mkdir(parents=True, exist_ok=True)
            subprocess.run(["import", "-window", "root", str(shot)], env=env, capture_output=True)
            # Everything before the webview has happened meanwhile.
            found = list((drive_c / "users").glob("*/AppData/Roaming/com.vardesk.desktop/vardesk.sqlite3"))
            assert found, "no data file in the roaming folder"
            data = found[0].parent
            backups = list((data / "backups").glob("*-daily.vardesk"))
            deadline = time.time() + 30
            while not backups and time.time() < deadline:
                time.sleep(0.2)
                backups = list((data / "backups").glob("*-daily.vardesk"))
            assert backups, "no daily backup"
            log = "".join(f.read_text(errors="replace") for f in (data / "logs").glob("*.log"))
            assert 'started program="app"' in log and 'os="windows"' in log, f"the log: {log[-300:]}"
            # The running app holds the lock: the command line is refused meanwhile.
            db = "C:\\users\\" + data.parts[-4] + "\\AppData\\Roaming\\com.vardesk.desktop\\vardesk.sqlite3"
            p = run(exe + ["--db", db, "billing", "run", "2027-01"], env, expect=None)
            said = p.stderr.decode(errors="replace")
            assert p.returncode != 0 and "already working" in said, f"exit {p.returncode}: {said[-200:]}"
            # OK on the dialog: Tauri ends the app with the reason (its panic, exit 101).
            subprocess.run(["xdotool", "key", "--window", dialog[0].decode(), "Return"], env=env)
            out, err = started.communicate(timeout=60)
            said = (out + err).decode(errors="replace")
            assert started.returncode == 101 and "Could not find the webview runtime" in said, \
                f"exit {started.returncode:#x}: {said[-400:]}"
        finally:
            if started and started.poll() is None:
                started.kill()

    check("the app starts: data folder, log, lock and today's backup, then the WebView2 check", desktop)

    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

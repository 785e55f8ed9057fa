"""browser.py — headless Chromium for the tests and benchmarks that load a
report: found on the PATH, and driven over the DevTools protocol on a pipe,
so that the caller waits in real time for what the page does, reads the
console's errors and takes screenshots."""
import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import time


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


class Browser:
    """Headless Chromium driven over the DevTools protocol on a pipe
    (--remote-debugging-pipe: fd 3 in, fd 4 out, NUL-separated JSON), so
    that the test waits, in real time, for what the page does."""

    def __init__(self, profile):
        # Far from 3 and 4, so that moving them there cannot overwrite one with the other.
        self.cmd_r, self.cmd_w, self.out_r, self.out_w = (
            fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in os.pipe() + os.pipe())
        # fds 3 and 4 in the child are these pipes' ends.
        def child_fds():
            os.dup2(self.cmd_r, 3)
            os.dup2(self.out_w, 4)
        self.proc = subprocess.Popen(
            [chromium(), "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             "--no-first-run", "--disable-extensions", "--remote-debugging-pipe",
             "--user-data-dir=" + profile, "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=child_fds,
            pass_fds=(3, 4))
        os.close(self.cmd_r)
        os.close(self.out_w)
        self.buf = b""
        self.next_id = 0
        self.events = []

    def _read_message(self, deadline):
        while b"\0" not in self.buf:
            left = deadline - time.time()
            if left <= 0:
                raise TimeoutError("no answer from chromium")
            ready, _, _ = select.select([self.out_r], [], [], left)
            if ready:
                chunk = os.read(self.out_r, 1 << 20)
                if not chunk:
                    raise EOFError("chromium closed its pipe")
                self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def send(self, method, params=None, session=None, timeout=60):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.cmd_w, json.dumps(msg).encode() + b"\0")
        deadline = time.time() + timeout
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError("%s: %s" % (method, reply["error"]))
                return reply.get("result", {})
            self.events.append(reply)

    def open(self, url, width=1400, height=2200):
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.send(domain + ".enable", session=session)
        self.send("Emulation.setDeviceMetricsOverride", {"width": width, "height": height,
                  "deviceScaleFactor": 1, "mobile": False}, session=session)
        self.events = []
        started = time.time()
        self.send("Page.navigate", {"url": url}, session=session)
        return session, started

    def evaluate(self, session, expression):
        r = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True},
                      session=session)
        return r.get("result", {}).get("value")

    def console_errors(self):
        errors = []
        for e in self.events:
            m, p = e.get("method"), e.get("params", {})
            if m == "Runtime.exceptionThrown":
                errors.append(p["exceptionDetails"].get("text", "") + " " +
                              str(p["exceptionDetails"].get("exception", {}).get("description", "")))
            elif m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                errors.append(" ".join(str(a.get("value", a.get("description", ""))) for a in p["args"]))
            elif m == "Log.entryAdded" and p["entry"].get("level") == "error":
                errors.append(p["entry"].get("text", ""))
        return errors

    def screenshot(self, session, path):
        data = self.send("Page.captureScreenshot", {"format": "png"}, session=session)["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))

    def close(self):
        try:
            self.send("Browser.close", timeout=10)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def firefox():
    for name in ("firefox-esr", "firefox"):
        path = shutil.which(name)
        if path:
            return path
    return None


def firefox_selftest(url, profile, timeout=60):
    """Open @url in headless Firefox and return what the page logs after
    "mmsim-selftest " (its console, on stdout with devtools.console.stdout.content),
    or None when it logs nothing in @timeout seconds."""
    os.makedirs(profile, exist_ok=True)
    with open(os.path.join(profile, "user.js"), "w") as f:
        f.write('user_pref("devtools.console.stdout.content", true);\n')
    proc = subprocess.Popen([firefox(), "--headless", "--no-remote", "--profile", profile, url],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline, buf, found = time.time() + timeout, b"", None
    try:
        while found is None and time.time() < deadline:
            ready, _, _ = select.select([proc.stdout], [], [], max(0.0, deadline - time.time()))
            if not ready:
                break
            chunk = os.read(proc.stdout.fileno(), 1 << 16)
            if not chunk:
                break
            buf += chunk
            for line in buf.decode(errors="replace").splitlines():
                at = line.find("mmsim-selftest ")
                if at >= 0 and line.rstrip().endswith('"'):
                    # console.log: "mmsim-selftest {...}" — a JSON string of the JSON text
                    found = json.loads(line[line.index('"'):].rstrip())[len("mmsim-selftest "):]
                    break
    finally:
        proc.kill()
        proc.wait()
    return found

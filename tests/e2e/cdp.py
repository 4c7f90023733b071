#!/usr/bin/env python3
"""cdp.py -- drive headless Chromium over --remote-debugging-pipe (the DevTools
protocol, no library): real mouse clicks and key presses on the review site.

    python3 cdp.py CHROMIUM PROFILE DOWNLOADS SCRIPT.json

SCRIPT is a list of steps, run in order; each prints one "name=value" line
for the shell test to check (tests/e2e/097-review-browser.sh):

    {"open": URL}                       load a page (waits for it)
    {"eval": JS, "name": N}             print N=result (JSON)
    {"click": CSS, "name": N}           mouse click at the element's centre
    {"key": KEY, "name": N}             press a key on the focused element
    {"download": GLOB, "name": N}       wait for a file in DOWNLOADS, print its path
    {"shot": PATH, "name": N}           screenshot of the viewport
"""
import base64
import glob
import json
import os
import subprocess
import sys
import time


class Browser:
    def __init__(self, chromium, profile, downloads):
        r1, w1 = os.pipe()  # we write, Chromium reads (its fd 3)
        r2, w2 = os.pipe()  # Chromium writes (its fd 4), we read
        args = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--remote-debugging-pipe", "--user-data-dir=" + profile,
                "--window-size=1280,900", "about:blank"]
        self.proc = subprocess.Popen(["sh", "-c", 'exec "$0" "$@" 3<&%d 4>&%d' % (r1, w2)] + args,
                                     pass_fds=(r1, w2), stderr=subprocess.DEVNULL)
        os.close(r1)
        os.close(w2)
        self.w, self.r, self.buf, self.next = w1, r2, b"", 0
        self.call("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]

    def call(self, method, params=None, session=None):
        self.next += 1
        msg = {"id": self.next, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.w, json.dumps(msg).encode() + b"\0")
        while True:
            while b"\0" not in self.buf:
                chunk = os.read(self.r, 1 << 16)
                if not chunk:
                    raise SystemExit("cdp: Chromium closed the pipe")
                self.buf += chunk
            line, self.buf = self.buf.split(b"\0", 1)
            reply = json.loads(line)
            if reply.get("id") == self.next:
                if "error" in reply:
                    raise SystemExit("cdp: %s: %s" % (method, reply["error"]))
                return reply.get("result", {})

    def page(self, method, params=None):
        return self.call(method, params, self.session)

    def eval(self, js):
        r = self.page("Runtime.evaluate", {"expression": js, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in r:
            raise SystemExit("cdp: exception in %r: %s" % (js, r["exceptionDetails"]))
        return r["result"].get("value")

    def open(self, url):
        self.page("Page.navigate", {"url": url})
        for _ in range(200):
            time.sleep(0.05)
            if self.eval("document.readyState") == "complete" and self.eval("location.href") == url:
                return
        raise SystemExit("cdp: %s did not load" % url)

    def click(self, css):
        # Only where a person could click: the element itself must be at that point on
        # screen; one out of view is scrolled to first, as a person would.
        box = self.where(css)
        if not box:
            self.eval("(function(){var e=document.querySelector(%s);if(e)e.scrollIntoView({block:'center'})})()"
                      % json.dumps(css))
            box = self.where(css)
        if not box:
            raise SystemExit("cdp: nothing visible matches %s" % css)
        for t in ("mousePressed", "mouseReleased"):
            self.page("Input.dispatchMouseEvent", {"type": t, "x": box[0], "y": box[1],
                                                   "button": "left", "clickCount": 1})
        time.sleep(0.05)

    def where(self, css):
        return self.eval("(function(){var e=document.querySelector(%s);if(!e)return null;"
                         "var r=e.getClientRects()[0];if(!r)return null;var x=r.left+Math.min(r.width/2,8),"
                         "y=r.top+r.height/2,h=document.elementFromPoint(x,y);"
                         "return h&&(h===e||e.contains(h))?[x,y]:null})()" % json.dumps(css))

    def key(self, key):
        names = {"Enter": ("Enter", 13, "\r"), " ": (" ", 32, " "), "Escape": ("Escape", 27, ""),
                 "Tab": ("Tab", 9, "")}
        k, code, text = names[key] if key in names else (key, ord(key.upper()), key)
        down = {"type": "keyDown", "key": k, "windowsVirtualKeyCode": code}
        if text:
            down["text"] = text
        self.page("Input.dispatchKeyEvent", down)
        self.page("Input.dispatchKeyEvent", {"type": "keyUp", "key": k, "windowsVirtualKeyCode": code})
        time.sleep(0.05)


def main():
    chromium, profile, downloads, script = sys.argv[1:5]
    b = Browser(chromium, profile, downloads)
    try:
        for step in json.load(open(script)):
            name = step.get("name")
            if "open" in step:
                b.open(step["open"])
                val = "ok"
            elif "eval" in step:
                val = json.dumps(b.eval(step["eval"]), ensure_ascii=False)
            elif "click" in step:
                b.click(step["click"])
                val = "ok"
            elif "key" in step:
                b.key(step["key"])
                val = "ok"
            elif "download" in step:
                val = ""
                for _ in range(100):
                    got = [f for f in glob.glob(os.path.join(downloads, step["download"]))
                           if not f.endswith(".crdownload")]
                    if got:
                        val = got[0]
                        break
                    time.sleep(0.1)
            elif "shot" in step:
                if step.get("full"):
                    h = b.eval("document.documentElement.scrollHeight")
                    b.page("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": min(h, 4000),
                                                                  "deviceScaleFactor": 1, "mobile": False})
                data = b.page("Page.captureScreenshot", {"format": "png"})["data"]
                open(step["shot"], "wb").write(base64.b64decode(data))
                b.page("Emulation.clearDeviceMetricsOverride")
                val = "ok"
            if name:
                print("%s=%s" % (name, val), flush=True)
    finally:
        # Closed, not killed: localStorage reaches the profile only on a clean exit.
        try:
            b.call("Browser.close")
            b.proc.wait(timeout=20)
        except BaseException:
            b.proc.kill()
            b.proc.wait()


if __name__ == "__main__":
    main()

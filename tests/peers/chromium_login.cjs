// $BROWSER for `oauth2 login` against a server's own sign-in page, in real headless Chromium
// (Debian's /usr/bin/chromium, driven by playwright-core from tests/provider/node_modules):
//   node chromium_login.cjs URL
// It opens URL as a person's browser would, types CHROMIUM_LOGIN and CHROMIUM_PASSWORD (from the
// environment, never argv) into the page's username and password fields, submits, and waits
// until the browser has loaded the loopback redirect (the client's callback page). Anything it
// prints goes to stderr. Exit 0 when the callback page was reached, 1 otherwise.
const path = require("path");
const { chromium } = require(path.join(__dirname, "..", "provider", "node_modules", "playwright-core"));

const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

async function main(url) {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: FLAGS });
  try {
    const page = await browser.newPage();
    await page.goto(url);
    await page.fill("input[name=username]", process.env.CHROMIUM_LOGIN || "alice");
    await page.fill("input[type=password]", process.env.CHROMIUM_PASSWORD || "");
    const callback = page.waitForURL((u) => /^http:\/\/(127\.0\.0\.1|\[::1\]):\d+\//.test(u.href)
      && !u.href.startsWith(new URL(url).origin), { timeout: 60000 });
    await page.locator("input[type=submit], button[type=submit]").first().click();
    await callback;
    await page.waitForLoadState("load");
    console.error(`chromium_login: reached ${new URL(page.url()).origin}${new URL(page.url()).pathname}`);
  } finally {
    await browser.close();
  }
}

main(process.argv[2]).then(() => process.exit(0), (err) => {
  console.error(`chromium_login: ${err && err.message ? err.message.split("\n")[0] : err}`);
  process.exit(1);
});

// The review page in headless Chromium (Playwright, `playwright-core` from npm, the system's
// Chromium): run by tests/review.rs as `node review_browser.js URL CHROMIUM SCREENSHOT [BIG_URL]`.
// Presses the documented keys and checks the rows' data attributes after each; BIG_URL is a
// 10,000-link review, loaded to check that only the visible rows are in the DOM and to time it.
"use strict";
const { chromium } = require("playwright-core");
const [url, executablePath, screenshot, bigUrl] = process.argv.slice(2);

function check(condition, what) {
  if (!condition) throw new Error("failed: " + what);
  console.log("ok: " + what);
}

async function rows(page) {
  return page.$$eval(".row", (rs) => rs.map((r) => ({
    id: Number(r.dataset.linkId), src: r.dataset.srcIds, tgt: r.dataset.tgtIds,
    score: Number(r.dataset.score), status: r.dataset.status, current: r.classList.contains("current"),
    text: r.textContent,
  })));
}

async function current(page) {
  return (await rows(page)).find((r) => r.current);
}

/// Presses `key` and waits for the API answer it causes.
async function pressOp(page, key, path) {
  const before = await page.evaluate(() => Number(document.body.dataset.done || 0));
  const answered = page.waitForResponse((r) => r.url().includes(path));
  await page.keyboard.press(key);
  const response = await answered;
  check(response.status() === 200, key + " answered 200 (" + response.status() + ")");
  await page.waitForFunction((b) => Number(document.body.dataset.done || 0) > b, before);
}

/// REVIEW_MODE=resumed: the review was saved and its server restarted; the page shows the
/// edits, and a write from another origin (a blank page in the same browser) is refused.
async function resumed(browser) {
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]');
  const first = (await rows(page)).find((r) => r.id === 0);
  check(first && first.status === "accepted", "after the restart link 0 is still accepted");
  check(first.text.includes("(правка)"), "after the restart the edit is still there");
  const foreign = await browser.newPage();
  await foreign.goto("about:blank");
  const target = new URL(url);
  const token = target.searchParams.get("token");
  const outcome = await foreign.evaluate(async ([origin, token]) => {
    const results = [];
    for (const init of [
      { method: "POST", mode: "no-cors", headers: { "Content-Type": "text/plain" }, body: '{"op":"reject","id":0}' },
      { method: "POST", headers: { "Content-Type": "application/json", "X-Bitext-Token": token }, body: '{"op":"reject","id":0}' },
    ]) {
      try {
        const r = await fetch(origin + "/api/op?token=" + token, init);
        results.push(r.type === "opaque" ? "opaque" : String(r.status));
      } catch (e) {
        results.push("blocked");
      }
    }
    return results;
  }, [target.origin, token]);
  check(outcome.every((o) => o !== "200"), "writes from another origin fail (" + outcome.join(", ") + ")");
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  const again = (await rows(page)).find((r) => r.id === 0);
  check(again.status === "accepted", "link 0 was not rejected by the foreign page");
  console.log("browser test passed");
}

(async () => {
  const browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
  if (process.env.REVIEW_MODE === "resumed") {
    try { await resumed(browser); } finally { await browser.close(); }
    return;
  }
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(url);
    await page.waitForSelector('body[data-ready="true"]');
    let all = await rows(page);
    check(all.length === 12, "12 link rows (" + all.length + ")");
    check(all.every((r) => Number.isInteger(r.id) && r.src !== undefined && r.tgt !== undefined
      && r.score >= 0 && r.score <= 1 && r.status === "unreviewed"), "rows carry the data attributes");
    await page.waitForSelector("#plot svg .pt");
    const points = await page.$$eval("#plot svg .pt", (ps) => ps.length);
    check(points === 12, "the plot has a point per link (" + points + ")");

    // n: the lowest-scored unreviewed link.
    await page.keyboard.press("n");
    const lowest = Math.min(...all.map((r) => r.score));
    let cur = await current(page);
    check(cur && cur.score === lowest, "n goes to the lowest score " + lowest);

    // m merges it with the next link; u undoes.
    const before = cur;
    await pressOp(page, "m", "/api/op");
    all = await rows(page);
    cur = await current(page);
    check(all.length === 11, "m merged two links (" + all.length + " rows)");
    check(cur.id === before.id && cur.src.split(" ").length > before.src.split(" ").length,
      "the merged row holds more source ids (" + before.src + " -> " + cur.src + ")");
    await pressOp(page, "u", "/api/op");
    check((await rows(page)).length === 12, "u undid the merge");

    // s splits an n-m link (clicked); u undoes.
    const wide = (await rows(page)).find((r) => r.src.split(" ").length + r.tgt.split(" ").length > 2);
    await page.click('.row[data-link-id="' + wide.id + '"]');
    await pressOp(page, "s", "/api/op");
    check((await rows(page)).length === 13, "s split link " + wide.id);
    await pressOp(page, "u", "/api/op");

    // a accepts, r on the next link rejects, u takes the rejection back.
    await page.click('.row[data-link-id="0"]');
    await pressOp(page, "a", "/api/op");
    check((await current(page)).status === "accepted", "a accepted link 0");
    await page.keyboard.press("j");
    cur = await current(page);
    check(cur.id === 1, "j moved to the next link");
    await pressOp(page, "r", "/api/op");
    check((await current(page)).status === "rejected", "r rejected link 1");
    await pressOp(page, "u", "/api/op");
    check((await current(page)).status === "unreviewed", "u undid the rejection");
    await page.keyboard.press("k");
    check((await current(page)).id === 0, "k moved back");

    // Edit the target text of link 0 with the mouse.
    await page.fill("#d-tgt", "Инициатива «Парижский пакт» в Пекине (правка)");
    const edited = page.waitForResponse((r) => r.url().includes("/api/op"));
    await page.click('button[data-act="edit"]');
    await edited;
    await page.waitForFunction(() => document.querySelector('.row[data-link-id="0"]').textContent.includes("(правка)"));
    check(true, "the edit shows in the row");

    // c focuses the comment; Enter saves it.
    await page.keyboard.press("c");
    await page.keyboard.type("checked in the browser");
    await pressOp(page, "Enter", "/api/op");
    check((await current(page)).text.includes("💬"), "c, text, Enter: the row shows a comment");

    // Ctrl+S saves the state and the output.
    await pressOp(page, "Control+s", "/api/save");
    await page.waitForFunction(() => document.getElementById("msg").textContent.startsWith("saved"));
    check(true, "Ctrl+S saved: " + await page.textContent("#msg"));

    // A click on the plot jumps to its link.
    await page.click('#plot svg .pt[data-link-id="7"]', { force: true });
    check((await current(page)).id === 7, "a click on the plot jumps to link 7");
    await page.click('.row[data-link-id="0"]');
    await page.setViewportSize({ width: 1100, height: 620 });
    await page.screenshot({ path: screenshot });
    check(errors.length === 0, "no script error (" + errors.join("; ") + ")");

    if (bigUrl) {
      const big = await browser.newPage({ viewport: { width: 1280, height: 760 } });
      const started = Date.now();
      await big.goto(bigUrl);
      await big.waitForSelector('body[data-ready="true"]');
      const loaded = Date.now() - started;
      const inDom = await big.$$eval(".row", (rs) => rs.length);
      check(inDom < 100, "10,000 links: " + inDom + " rows in the DOM");
      await big.evaluate(() => { const l = document.getElementById("list"); l.scrollTop = l.scrollHeight; });
      await big.waitForSelector('.row[data-link-id="9999"]');
      check(true, "scrolled to the last of 10,000 links");
      await big.click('.row[data-link-id="9999"]');
      const t0 = Date.now();
      await pressOp(big, "a", "/api/op");
      const edit = Date.now() - t0;
      console.log("timing: load of 10,000 links " + loaded + " ms, accept " + edit + " ms");
    }
    console.log("browser test passed");
  } finally {
    await browser.close();
  }
})().catch((e) => {
  console.error(e && e.stack || String(e));
  process.exit(1);
});

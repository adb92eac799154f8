// The console's only script. Pages work without it; it adds live
// updates, copy buttons, relative times that stay current, and form
// helpers. It is served from the console itself, as the
// Content-Security-Policy requires, and builds markup with textContent
// only, so nothing a bot reports can become markup.
"use strict";

(function () {
  const $ = (sel, root) => (root || document).querySelector(sel);
  const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));

  // ---- times ---------------------------------------------------------
  function ago(iso) {
    const t = Date.parse(iso);
    if (isNaN(t)) return "—";
    let d = (Date.now() - t) / 1000;
    const future = d < 0;
    d = Math.abs(d);
    let s;
    if (d < 45) return "just now";
    else if (d < 90 * 60) s = Math.round(d / 60) + " min";
    else if (d < 36 * 3600) s = Math.round(d / 3600) + " h";
    else if (d < 30 * 86400) s = Math.round(d / 86400) + " days";
    else return new Date(t).toLocaleDateString(undefined, { day: "numeric", month: "short", year: "numeric" });
    return future ? "in " + s : s + " ago";
  }

  function exact(iso) {
    const t = new Date(iso);
    return t.toLocaleString() + " (" + t.toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC") + ")";
  }

  function timeEl(iso) {
    const el = document.createElement("time");
    el.dateTime = iso;
    el.title = exact(iso);
    el.dataset.rel = "";
    el.textContent = ago(iso);
    return el;
  }

  function refreshTimes() {
    $$("time[data-rel]").forEach((el) => { el.textContent = ago(el.dateTime); });
  }

  function localTitles() {
    $$("time[datetime]").forEach((el) => { el.title = exact(el.dateTime); });
  }

  // ---- statuses ------------------------------------------------------
  const words = (s) => s.toLowerCase().replace(/_/g, " ");

  function badge(status) {
    const el = document.createElement("span");
    el.className = "st st-" + status.toLowerCase();
    el.dataset.statusBadge = "";
    el.textContent = words(status);
    return el;
  }

  function setBadge(el, status) {
    el.className = "st st-" + status.toLowerCase();
    el.textContent = words(status);
  }

  // ---- live updates --------------------------------------------------
  function notice(text) {
    const el = $("[data-live-notice]");
    if (!el) return;
    el.textContent = text;
    el.hidden = false;
  }

  function follow(url, handlers) {
    const es = new EventSource(url);
    es.addEventListener("bot", (e) => handlers.bot && handlers.bot(JSON.parse(e.data).bot));
    es.addEventListener("event", (e) => handlers.event && handlers.event(JSON.parse(e.data).event));
    es.addEventListener("log", (e) => handlers.log && handlers.log(JSON.parse(e.data).log));
    es.addEventListener("signedout", () => {
      es.close();
      notice("Your session ended, so live updates stopped. Sign in again to continue.");
      const n = $("[data-live-notice]") || document.body;
      const a = document.createElement("a");
      a.href = "/signin?next=" + encodeURIComponent(location.pathname + location.search);
      a.textContent = " Sign in";
      n.append(a);
    });
    es.onerror = () => {
      // A dropped stream reconnects by itself; a refused one (signed out,
      // or the daemon gone) is closed for good.
      if (es.readyState === EventSource.CLOSED) notice("Live updates stopped. Reload the page to resume them.");
    };
    return es;
  }

  // The Bots page names the bots it shows, so the stream starts with
  // their current states: nothing that changed while the page loaded is
  // missed.
  function liveFleet(root) {
    const unseen = new Set();
    const ids = $$("tr[data-bot-id]").map((tr) => tr.dataset.botId).slice(0, 100);
    follow(root.dataset.live + "?ids=" + ids.join(","), {
      bot(b) {
        const row = $('tr[data-bot-id="' + b.id + '"]');
        if (!row) {
          unseen.add(b.id);
          const n = unseen.size;
          notice(n + (n === 1 ? " bot" : " bots") + " not on this page changed. Reload to see them.");
          return;
        }
        row.dataset.status = b.status;
        setBadge($("[data-status-badge]", row), b.status);
        const reason = $("[data-reason]", row);
        // The stream's bots carry no queue position, so a scheduled or
        // queued bot keeps what the page rendered for it.
        if (reason && b.endReason) reason.textContent = b.endReason;
        else if (reason && b.status !== "SCHEDULED" && b.status !== "QUEUED") reason.textContent = "";
        const upd = $("[data-updated]", row);
        if (upd) upd.replaceChildren(timeEl(b.updatedAt));
      },
    });
  }

  function setField(root, name, value, isTime) {
    const el = $('[data-field="' + name + '"]', root);
    if (!el) return;
    if (!value) { el.textContent = "—"; return; }
    if (isTime) { el.replaceChildren(timeEl(value)); return; }
    if (name === "endReason" || name === "platformId") {
      const code = document.createElement("code");
      code.textContent = value;
      el.replaceChildren(code);
      return;
    }
    el.textContent = value;
  }

  function toggleActions(status) {
    $$("[data-when]").forEach((el) => { el.hidden = !el.dataset.when.split(" ").includes(status); });
    $$("[data-when-ended]").forEach((el) => {
      const live = el.dataset.whenEnded.split(" ").includes(status);
      el.hidden = live;
      if (!live) el.textContent = "Nothing to do: the bot is " + words(status) + ".";
    });
  }

  function liveBot(root) {
    const log = $("[data-log]", root);
    const followBox = $("[data-follow]", root);
    const timeline = $("[data-timeline]", root);
    const events = $("[data-events]", root);
    // The stream resends what was stored after the page's last event and
    // line, and may resend it again on reconnecting: each is shown once.
    const seen = new Set($$("[data-key]", root).map((el) => el.dataset.key));
    const fresh = (key) => { if (seen.has(key)) return false; seen.add(key); return true; };
    const statuses = new Set(["SCHEDULED", "QUEUED", "DEPLOYING", "JOINING_CALL", "IN_WAITING_ROOM", "IN_CALL", "LEAVING", "CALL_ENDED", "DONE", "FATAL"]);
    follow(root.dataset.live, {
      bot(b) {
        $$(".page-head [data-status-badge]", root).forEach((el) => setBadge(el, b.status));
        setField(root, "status", words(b.status));
        setField(root, "endReason", b.endReason);
        setField(root, "endDetail", b.endDetail);
        setField(root, "deploymentPlatform", b.deploymentPlatform);
        setField(root, "platformId", b.platformId);
        setField(root, "lastHeartbeatAt", b.lastHeartbeatAt, true);
        setField(root, "joinedAt", b.joinedAt, true);
        setField(root, "endedAt", b.endedAt, true);
        toggleActions(b.status);
      },
      event(e) {
        if (!fresh(e.type + "|" + Date.parse(e.time))) return;
        if (events) {
          const tr = document.createElement("tr");
          const type = document.createElement("code");
          type.textContent = e.type;
          const data = document.createElement("code");
          data.textContent = e.data ? JSON.stringify(e.data) : "";
          const cells = [type, timeEl(e.time), data].map((c) => { const td = document.createElement("td"); td.append(c); return td; });
          cells[2].className = "data";
          tr.append(...cells);
          events.append(tr);
          const empty = $("[data-events-empty]", root);
          if (empty) empty.hidden = true;
        }
        if (timeline && statuses.has(e.type)) {
          const li = document.createElement("li");
          li.append(badge(e.type), " ", timeEl(e.time));
          const d = e.data || {};
          if (d.sub_code) { const c = document.createElement("code"); c.className = "reason"; c.textContent = d.sub_code; li.append(" ", c); }
          if (d.description) { const s = document.createElement("span"); s.className = "muted"; s.textContent = d.description; li.append(" ", s); }
          timeline.append(li);
        }
      },
      log(l) {
        if (!log || !fresh((l.entryId || "") + "|" + Date.parse(l.time))) return;
        const line = document.createElement("div");
        line.className = "line lv-" + l.level;
        const t = document.createElement("time");
        t.dateTime = l.time;
        t.title = exact(l.time);
        t.textContent = new Date(l.time).toISOString().slice(11, 19);
        const lv = document.createElement("span");
        lv.className = "lv";
        lv.textContent = l.level;
        line.append(t, " ", lv, " ", l.message);
        log.append(line);
        const empty = $("[data-log-empty]", log);
        if (empty) empty.hidden = true;
        const lines = $$(".line", log);
        if (lines.length > 2000) lines.slice(0, lines.length - 2000).forEach((n) => n.remove());
        if (followBox && followBox.checked) log.scrollTop = log.scrollHeight;
      },
    });
    if (log) log.scrollTop = log.scrollHeight;
  }

  // ---- forms ---------------------------------------------------------
  function copyButtons() {
    $$("[data-copy]").forEach((btn) => {
      btn.addEventListener("click", async () => {
        const src = document.getElementById(btn.dataset.copy);
        const text = src ? src.textContent.trim() : "";
        try {
          await navigator.clipboard.writeText(text);
        } catch (_) {
          const range = document.createRange();
          range.selectNodeContents(src);
          const sel = getSelection();
          sel.removeAllRanges();
          sel.addRange(range);
          document.execCommand("copy");
        }
        btn.textContent = "Copied";
        setTimeout(() => { btn.textContent = "Copy"; }, 2000);
      });
    });
  }

  function confirms() {
    document.addEventListener("submit", (e) => {
      const form = e.target;
      const msg = (e.submitter && e.submitter.dataset.confirm) || form.dataset.confirm;
      if (msg && !confirm(msg)) e.preventDefault();
    });
  }

  function bulk() {
    const form = $("[data-bulk]");
    if (!form) return;
    const all = $("[data-select-all]", form);
    const count = $("[data-selected]", form);
    const boxes = () => $$('input[name="id"]', form);
    const update = () => { if (count) count.textContent = boxes().filter((b) => b.checked).length; };
    if (all) all.addEventListener("change", () => { boxes().forEach((b) => { b.checked = all.checked; }); update(); });
    form.addEventListener("change", update);
    update();
  }

  function metaRows() {
    const box = $("[data-meta-rows]");
    if (!box) return;
    const add = $("[data-meta-add]", box);
    box.addEventListener("click", (e) => {
      const rm = e.target.closest("[data-meta-remove]");
      if (!rm) return;
      const rows = $$("[data-meta-row]", box);
      const row = rm.closest("[data-meta-row]");
      if (rows.length > 1) row.remove(); else $$("input", row).forEach((i) => { i.value = ""; });
    });
    add.addEventListener("click", () => {
      const rows = $$("[data-meta-row]", box);
      const row = rows[rows.length - 1].cloneNode(true);
      const n = Date.now();
      $$("input", row).forEach((i, k) => { i.value = ""; i.removeAttribute("aria-invalid"); i.id = (k ? "mv" : "mk") + n; });
      $$("label", row).forEach((l, k) => { l.htmlFor = (k ? "mv" : "mk") + n; });
      $$(".field-error", row).forEach((p) => p.remove());
      add.before(row);
      $("input", row).focus();
    });
  }

  function browserZone() {
    let zone = "";
    try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (_) { /* keep the server's default */ }
    if (!zone) return;
    $$("input[data-browser-zone]").forEach((i) => { i.value = zone; });
  }

  // On a phone the filters would push the bots below the fold: they start
  // folded unless some are in use.
  function foldNarrow() {
    if (!matchMedia("(max-width: 40rem)").matches) return;
    $$("details[data-fold-narrow]:not([data-active])").forEach((d) => { d.open = false; });
  }

  function autosubmit() {
    const form = $("form[data-autosubmit]");
    if (form) form.submit();
  }

  document.addEventListener("DOMContentLoaded", () => {
    localTitles();
    setInterval(refreshTimes, 30000);
    copyButtons();
    confirms();
    bulk();
    metaRows();
    browserZone();
    foldNarrow();
    autosubmit();
    const fleet = $("[data-live]:not([data-bot-id])");
    if (fleet) liveFleet(fleet);
    const bot = $("[data-live][data-bot-id]");
    if (bot) liveBot(bot);
  });
})();

// The offline door desk. Each entry is sealed to the server's public key the moment it is made
// (ECDH P-256 with a key pair made for that entry alone, HKDF-SHA256, AES-256-GCM), kept in
// IndexedDB, and sent to the sync API when there is a connection. The device cannot read its own
// queue back: it shows only what kind of entry waits and since when. An entry is wiped once the
// server has stored it (or had stored it before), and after its lifetime even if never sent.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("desk-config").textContent);
  const texts = config.texts;
  const form = document.getElementById("offline-desk");
  const state = document.getElementById("desk-state");
  const list = document.getElementById("pending-list");
  const count = document.getElementById("pending-count");
  const errorBox = document.getElementById("desk-error");
  const encoder = new TextEncoder();
  const BATCH = 50;
  let syncing = false;
  let note = "";

  if (!window.indexedDB || !window.crypto || !crypto.subtle) {
    state.textContent = texts.unsupported;
    state.dataset.state = "unsupported";
    form.querySelector("button[type=submit]").disabled = true;
    return;
  }

  // --- storage -------------------------------------------------------------------------------
  function database() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open("abwab-door", 1);
      request.onupgradeneeded = () => request.result.createObjectStore("entries", { keyPath: "client_key" });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  async function store(mode, work) {
    const db = await database();
    return new Promise((resolve, reject) => {
      const tx = db.transaction("entries", mode);
      const result = work(tx.objectStore("entries"));
      tx.oncomplete = () => { db.close(); resolve(result && "result" in result ? result.result : undefined); };
      tx.onerror = () => { db.close(); reject(tx.error); };
    });
  }

  const all = () => store("readonly", (s) => s.getAll());
  const put = (record) => store("readwrite", (s) => s.put(record));
  const remove = (keys) => store("readwrite", (s) => keys.forEach((k) => s.delete(k)));

  // --- sealing -------------------------------------------------------------------------------
  const b64 = (buffer) => btoa(String.fromCharCode(...new Uint8Array(buffer)));
  const unb64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

  async function seal(entry) {
    const server = await crypto.subtle.importKey(
      "raw", unb64(config.key.public), { name: "ECDH", namedCurve: "P-256" }, false, []);
    const mine = await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, false, ["deriveBits"]);
    const shared = await crypto.subtle.deriveBits({ name: "ECDH", public: server }, mine.privateKey, 256);
    const hkdf = await crypto.subtle.importKey("raw", shared, "HKDF", false, ["deriveKey"]);
    const key = await crypto.subtle.deriveKey(
      { name: "HKDF", hash: "SHA-256", salt: encoder.encode("abwab-door-entry-v1"), info: encoder.encode(entry.client_key) },
      hkdf, { name: "AES-GCM", length: 256 }, false, ["encrypt"]);
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const sealed = await crypto.subtle.encrypt(
      { name: "AES-GCM", iv, additionalData: encoder.encode(entry.client_key) },
      key, encoder.encode(JSON.stringify(entry)));
    const ephemeral = await crypto.subtle.exportKey("raw", mine.publicKey);
    return { client_key: entry.client_key, kid: config.key.kid, epk: b64(ephemeral), iv: b64(iv), ct: b64(sealed) };
  }

  // --- the form ------------------------------------------------------------------------------
  const value = (name) => {
    const field = form.elements.namedItem(name);
    if (!field) return "";
    if (field instanceof RadioNodeList) return field.value || "";
    if (field.type === "checkbox") return field.checked;
    return field.value.trim();
  };

  function entryFromForm() {
    const kind = value("purpose") === "membership" ? "signup" : "checkin";
    const entry = {
      kind,
      event: config.event,
      client_key: crypto.randomUUID().replace(/-/g, ""),
      recorded_at: new Date().toISOString(),
      checkin: {
        name: value("name"), phone: value("phone"), territory_code: value("territory") ? form.querySelector("[name=territory] option:checked").dataset.code || null : null,
        age_band: value("age_band"), gender: value("gender"), purpose: value("purpose"),
      },
    };
    if (kind === "signup") {
      entry.consent_given = value("signup-consent") === true;
      entry.person = {};
      for (const name of ["first_name_ar", "last_name_ar", "first_name_latin", "last_name_latin", "birth_date", "cin"]) {
        const typed = value("signup-" + name);
        if (typed) entry.person[name] = typed;
      }
    }
    return entry;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const entry = entryFromForm();
    const problem = !entry.checkin.name ? texts.name_needed
      : entry.kind === "signup" && !entry.consent_given ? texts.consent_needed : "";
    errorBox.hidden = !problem;
    errorBox.textContent = problem;
    if (problem) return;
    const now = Date.now();
    await put({
      client_key: entry.client_key, event: config.event, kind: entry.kind, state: "pending", message: "",
      minted_at: now, expires_at: now + config.hours * 3600 * 1000, sealed: await seal(entry),
    });
    const keep = value("territory");
    form.reset();
    form.elements.namedItem("territory").value = keep;
    form.elements.namedItem("name").focus();
    await show();
    sync();
  });

  // --- the queue -----------------------------------------------------------------------------
  async function wipeExpired() {
    const now = Date.now();
    const old = (await all()).filter((r) => r.expires_at < now).map((r) => r.client_key);
    if (old.length) {
      await remove(old);
      note = texts.expired.replace("%(n)s", old.length);
    }
  }

  async function show() {
    const records = (await all()).filter((r) => r.event === config.event).sort((a, b) => a.minted_at - b.minted_at);
    const waiting = records.filter((r) => r.state === "pending");
    count.textContent = String(waiting.length);
    list.replaceChildren(...records.map((record) => {
      const item = document.createElement("li");
      item.dataset.state = record.state;
      // Moroccan usage: Latin digits and a 24-hour clock in both languages, kept apart from the text.
      const time = "\u2066" + new Date(record.minted_at).toLocaleTimeString(document.documentElement.lang + "-MA", { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }) + "\u2069";
      item.textContent = `${time} — ${texts[record.kind]} · ${record.state === "pending" ? texts.kept : texts.refused + ": " + record.message}`;
      if (record.state === "refused") {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "link";
        button.textContent = texts.dismiss;
        button.addEventListener("click", async () => { await remove([record.client_key]); show(); });
        item.append(" ", button);
      }
      return item;
    }));
    const mode = syncing ? "syncing" : navigator.onLine ? "online" : "offline";
    if (state.dataset.state !== "signin") {
      state.dataset.state = mode;
      state.textContent = [texts[mode], note].filter(Boolean).join(" ");
    }
    document.body.dataset.pending = String(waiting.length);
  }

  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  async function sync() {
    if (syncing || !navigator.onLine) return;
    syncing = true;
    await show();
    let stored = 0;
    try {
      await wipeExpired();
      const waiting = (await all()).filter((r) => r.event === config.event && r.state === "pending");
      for (let i = 0; i < waiting.length; i += BATCH) {
        const batch = waiting.slice(i, i + BATCH);
        const response = await fetch(config.sync, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
          body: JSON.stringify({ sealed: batch.map((r) => r.sealed) }),
        });
        if (response.status === 401 || response.status === 403) {
          state.dataset.state = "signin";
          state.innerHTML = "";
          const link = document.createElement("a");
          link.href = config.login;
          link.textContent = texts.signin;
          state.append(link);
          break;
        }
        if (!response.ok) break; // the server is unwell: everything stays, the next try sends it
        const answer = await response.json();
        const done = [];
        for (const result of answer.results) {
          if (result.status === "stored" || result.status === "already") {
            done.push(result.client_key);
            stored += result.status === "stored" ? 1 : 0;
          } else {
            const record = batch.find((r) => r.client_key === result.client_key);
            if (record) await put({ ...record, state: "refused", message: result.message, sealed: null });
          }
        }
        await remove(done);
      }
    } catch (error) {
      // No connection after all, or it dropped mid-way: the entries wait for the next try.
    } finally {
      syncing = false;
      if (stored) note = texts.stored.replace("%(n)s", stored);
      await show();
    }
  }

  // The commune select carries ids; the API wants codes.
  for (const option of form.querySelectorAll("[name=territory] option")) {
    if (config.codes && option.value in config.codes) option.dataset.code = config.codes[option.value];
  }

  document.getElementById("sync-now").addEventListener("click", sync);
  window.addEventListener("online", sync);
  window.addEventListener("offline", show);
  setInterval(sync, 20000);

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(config.worker, { scope: config.scope }).catch(() => {});
  }
  wipeExpired().then(show).then(sync);
})();

// contractgen web: the live parts of the page. The page works without this file (the form
// posts to the server); with it, answers are checked and the preview is updated as the user
// types. All checks happen on the server (/api/zustand), this file only shows the result.
// No request leaves this machine: fetch() goes to the page's own address only.
"use strict";

(function () {
  const form = document.getElementById("formular");
  if (!form) return;
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const body = document.body;
  body.classList.remove("ohne-js");
  body.classList.add("mit-js");

  const touched = new Set();
  let showAll = false;
  let sequence = 0;
  let timer = null;
  let last = null;
  let libraryStamp = null;

  // -- tabs ------------------------------------------------------------------------------
  const tabs = Array.from(document.querySelectorAll('[role="tab"]'));
  function selectTab(tab, focus) {
    for (const other of tabs) {
      const selected = other === tab;
      other.setAttribute("aria-selected", selected ? "true" : "false");
      other.tabIndex = selected ? 0 : -1;
      document.getElementById(other.getAttribute("aria-controls")).hidden = !selected;
    }
    if (focus) tab.focus();
  }
  tabs.forEach((tab, index) => {
    tab.addEventListener("click", () => selectTab(tab, false));
    tab.addEventListener("keydown", (event) => {
      let next = null;
      if (event.key === "ArrowRight") next = tabs[(index + 1) % tabs.length];
      if (event.key === "ArrowLeft") next = tabs[(index - 1 + tabs.length) % tabs.length];
      if (event.key === "Home") next = tabs[0];
      if (event.key === "End") next = tabs[tabs.length - 1];
      if (next) { event.preventDefault(); selectTab(next, true); }
    });
  });
  if (tabs.length) selectTab(tabs[0], false);

  // -- talking to the server ----------------------------------------------------------------
  function formBody(action) {
    const data = new URLSearchParams();
    for (const [name, value] of new FormData(form)) {
      if (typeof value === "string") data.append(name, value);
    }
    if (action) data.set("_aktion", action);
    return data;
  }

  async function refresh(action) {
    // an added or removed entry carries the whole form: a check still waiting for the end of
    // typing is sent with it, and must not overtake it
    if (action) clearTimeout(timer);
    const mine = ++sequence;
    body.classList.add("laedt");
    let response;
    try {
      response = await fetch("/api/zustand", {
        method: "POST",
        headers: { "X-CSRF-Token": csrf },
        body: formBody(action),
        credentials: "same-origin",
      });
    } catch (error) {
      showStatus("Der Server antwortet nicht. Läuft „contractgen web“ noch?", false);
      return;
    } finally {
      if (mine === sequence) body.classList.remove("laedt");
    }
    // an answer to an older request is ignored, unless it brings the entry the user added or
    // removed (no later request knows of it)
    if (mine !== sequence && !action) return;
    if (!response.ok) {
      let message = "Die Angaben konnten nicht geprüft werden (" + response.status + ").";
      try { message = (await response.json()).fatal || message; } catch (e) { /* text */ }
      showStatus(message, false);
      return;
    }
    const data = await response.json();
    last = data;
    apply(data, action);
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(() => refresh(null), 350);
  }

  // -- showing the server's answer ------------------------------------------------------------
  function showStatus(text, done) {
    const status = document.getElementById("status");
    status.textContent = text;
    status.classList.toggle("fertig", !!done);
  }

  // Replacing a list that holds the focused field fires its "focusout" handler in the middle
  // of the replacement; that handler must not start a second apply() (the browser then refuses
  // the replacement and the new entry never appears).
  let applying = false;
  function apply(data, action) {
    applying = true;
    try {
      applyNow(data, action);
    } finally {
      applying = false;
    }
  }

  function applyNow(data, action) {
    for (const [name, html] of Object.entries(data.lists || {})) {
      const old = form.querySelector('[data-liste="' + CSS.escape(name) + '"]');
      if (old && old.isConnected) {
        old.outerHTML = html;
        const fresh = form.querySelector('[data-liste="' + CSS.escape(name) + '"]');
        if (fresh && action) {
          const target = action.startsWith("hinzufuegen:")
            ? Array.from(fresh.querySelectorAll(".eintrag")).pop()?.querySelector("input, select, textarea")
            : fresh.querySelector(".hinzufuegen");
          if (target) target.focus();
        }
      }
    }
    for (const element of form.querySelectorAll("[data-q]")) {
      const shown = data.visible[element.dataset.q];
      if (shown !== undefined) element.hidden = !shown;
    }
    for (const section of form.querySelectorAll("fieldset.teil")) {
      const questions = Array.from(section.querySelectorAll(":scope > .felder > [data-q]"));
      section.hidden = questions.length > 0 && questions.every((q) => q.hidden);
    }
    for (const toggle of form.querySelectorAll("[data-toggle]")) {
      const name = toggle.dataset.toggle;
      const applies = data.applies[name] !== false;
      toggle.hidden = !applies;
      const box = toggle.querySelector('input[type="checkbox"]');
      const content = form.querySelector('[data-inhalt="' + CSS.escape(name) + '"]');
      if (content) content.hidden = applies && box && !box.checked;
    }
    const missing = new Set(data.missing);
    for (const box of form.querySelectorAll("[data-meldungen]")) {
      const name = box.dataset.meldungen;
      const errors = data.errors[name] || [];
      const visibleErrors = missing.has(name) && !showAll && !touched.has(name) ? [] : errors;
      box.replaceChildren(
        ...visibleErrors.map((text) => paragraph("fehler", text)),
        ...(data.warnings[name] || []).map((text) => paragraph("warnung", text)),
        ...(data.notes[name] ? [paragraph("notiz", data.notes[name])] : []));
      const wrapper = box.closest("[data-key]");
      const input = wrapper && wrapper.querySelector("input:not([type=hidden]), select, textarea");
      if (input && wrapper.dataset.key === name) {
        if (visibleErrors.length) input.setAttribute("aria-invalid", "true");
        else input.removeAttribute("aria-invalid");
      }
    }
    const general = document.getElementById("allgemeine-meldungen");
    general.replaceChildren(...data.general.map((text) => paragraph("fehler", text)));
    showStatus(data.status, data.complete);
    const previewError = document.getElementById("vorschau-fehler");
    previewError.hidden = !data.preview_error;
    previewError.textContent = data.preview_error || "";
    setPreview(data.preview);
    const email = document.getElementById("email");
    if (email.textContent !== data.email) email.textContent = data.email;
    const hints = document.getElementById("hinweise");
    const list = document.getElementById("hinweisliste");
    list.replaceChildren(...data.risks.map((risk) => {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = "#";
      link.dataset.ziel = risk.key;
      link.textContent = risk.label;
      item.append(link, ": " + risk.message);
      return item;
    }));
    hints.hidden = data.risks.length === 0;
    body.classList.toggle("vollstaendig", !!data.complete);
    const order = document.getElementById("zum-auftrag");
    if (order) order.hidden = !data.framework_ready;
    if (data.library_stamp) libraryStamp = data.library_stamp;
    if (followDefaults(data.defaults || {})) schedule();
  }

  // -- defaults that follow the answers (the profession's proposals) -------------------------
  // A field still showing its old default takes the new one; a field the user changed keeps
  // what the user typed. Returns whether anything changed (then the server checks again).
  function currentValue(wrapper) {
    const radios = wrapper.querySelectorAll('input[type="radio"]');
    if (radios.length) {
      const checked = Array.from(radios).find((radio) => radio.checked);
      return checked ? checked.value : "";
    }
    const box = wrapper.querySelector('input[type="checkbox"]');
    if (box) return box.checked ? "ja" : "nein";
    const input = wrapper.querySelector("select, textarea, input:not([type=hidden])");
    return input ? input.value : "";
  }

  function setValue(wrapper, value) {
    const radios = wrapper.querySelectorAll('input[type="radio"]');
    if (radios.length) {
      for (const radio of radios) radio.checked = radio.value === value;
      return;
    }
    const box = wrapper.querySelector('input[type="checkbox"]');
    if (box) {
      box.checked = value === "ja";
      if (box.name.startsWith("_mit:")) {
        const content = form.querySelector('[data-inhalt="' + CSS.escape(box.name.slice(5)) + '"]');
        if (content) content.hidden = !box.checked;
      }
      return;
    }
    const input = wrapper.querySelector("select, textarea, input:not([type=hidden])");
    if (input) input.value = value;
  }

  function followDefaults(defaults) {
    let changed = false;
    for (const wrapper of form.querySelectorAll("[data-vorgabe]")) {
      const name = wrapper.dataset.vorgabeName || wrapper.dataset.key;
      if (!(name in defaults)) continue;
      const old = wrapper.dataset.vorgabe;
      const fresh = defaults[name];
      if (fresh === old) continue;
      if (currentValue(wrapper) === old) {
        setValue(wrapper, fresh);
        changed = true;
      }
      wrapper.dataset.vorgabe = fresh;
    }
    return changed;
  }

  function paragraph(kind, text) {
    const p = document.createElement("p");
    p.className = kind;
    p.textContent = text;
    return p;
  }

  let shownPreview = null;
  function setPreview(html) {
    const frame = document.getElementById("vorschau");
    if (html === shownPreview) return;
    shownPreview = html;
    let scroll = 0;
    try { scroll = frame.contentWindow.scrollY; } catch (e) { scroll = 0; }
    frame.addEventListener("load", () => {
      try { frame.contentWindow.scrollTo(0, scroll); } catch (e) { /* other origin */ }
    }, { once: true });
    frame.srcdoc = html;
  }

  function firstError() {
    return form.querySelector(".meldungen .fehler");
  }

  // -- events -------------------------------------------------------------------------------
  function fieldName(target) {
    const wrapper = target.closest("[data-key]");
    return wrapper ? wrapper.dataset.key : target.name;
  }

  function userEdited(event) {
    const sample = form.querySelector('input[name="_beispiel"]');
    if (sample) sample.remove();          // lawyers: the form no longer shows the combination
    const target = event.target;
    if (event.type === "change" || target.type === "checkbox" || target.type === "radio") {
      touched.add(fieldName(target));
    }
    if (target.type === "checkbox" && target.name.startsWith("_mit:")) {
      const content = form.querySelector('[data-inhalt="' + CSS.escape(target.name.slice(5)) + '"]');
      if (content) content.hidden = !target.checked;
    }
    schedule();
  }
  form.addEventListener("input", userEdited);
  form.addEventListener("change", userEdited);
  form.addEventListener("focusout", (event) => {
    if (event.target.name) {
      const name = fieldName(event.target);
      // show the field's messages now; the lists stay as they are (`last` may still hold the
      // entries of an older answer, and the button under the pointer must survive the click)
      if (!touched.has(name)) {
        touched.add(name);
        if (last && !applying) apply({ ...last, lists: {} }, null);
      }
    }
  });

  form.addEventListener("click", (event) => {
    const button = event.target.closest('button[name="_aktion"]');
    if (!button || !/^(hinzufuegen|entfernen):/.test(button.value)) return;
    event.preventDefault();
    refresh(button.value);
  });

  form.addEventListener("submit", (event) => {
    const submitter = event.submitter;
    if (submitter && submitter.getAttribute("formaction")) return;   // downloads: below
    event.preventDefault();
    showAll = true;
    refresh(null).then(() => {
      const error = firstError();
      if (error) error.closest("[data-key]")?.querySelector("input, select, textarea")?.focus();
    });
  });

  for (const button of document.querySelectorAll("button[formaction]")) {
    button.addEventListener("click", (event) => {
      if (last && !last.complete) {
        event.preventDefault();
        showAll = true;
        apply(last, null);
        showStatus("Herunterladen geht erst, wenn alle Angaben vollständig und gültig sind. "
          + last.status, false);
        const error = firstError();
        if (error) error.closest("[data-key]")?.querySelector("input, select, textarea")?.focus();
      }
    });
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-ziel]");
    if (!link) return;
    event.preventDefault();
    let key = link.dataset.ziel;
    while (key) {
      const wrapper = form.querySelector('[data-key="' + CSS.escape(key) + '"]');
      if (wrapper) {
        wrapper.scrollIntoView({ block: "center" });
        wrapper.querySelector("input:not([type=hidden]), select, textarea")?.focus();
        return;
      }
      key = key.replace(/\[\d+\]$/, "").replace(/\.?[^.\[\]]*$/, "");
    }
  });

  // -- lawyers: re-render when a library file changes ----------------------------------------
  const lintPanel = document.getElementById("pruefung");
  if (lintPanel) {
    let lintHtml = null;
    setInterval(async () => {
      let response;
      try {
        response = await fetch("/api/bibliothek", { credentials: "same-origin" });
      } catch (error) { return; }
      if (!response.ok) return;
      const data = await response.json();
      if (data.lint_html !== lintHtml) {
        lintHtml = data.lint_html;
        lintPanel.innerHTML = data.lint_html;     // rendered (and escaped) by the server
      }
      if (libraryStamp !== null && data.library_stamp !== libraryStamp) {
        libraryStamp = data.library_stamp;
        refresh(null);
      }
      libraryStamp = data.library_stamp;
    }, 1500);
  }

  refresh(null);
})();

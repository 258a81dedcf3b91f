// MovieRec: star ratings (half stars, keyboard), onboarding progress and submit, live refinement of
// recommendations, and title autocomplete. Plain JavaScript, no build step; every text from the server is set with
// textContent, never as HTML.
"use strict";

(() => {
    const body = document.body;
    const pending = new Set();

    // --- The anonymous account: created on the first rating (POST /api/v1/sessions sets the session cookie). ---
    let sessionPromise = null;
    function ensureSession(force) {
        if (!force && body.dataset.session === "1") return Promise.resolve();
        if (!sessionPromise || force) {
            sessionPromise = fetch("/api/v1/sessions", { method: "POST", credentials: "same-origin" }).then(r => {
                if (!r.ok) throw new Error("Could not start a session (" + r.status + ")");
                body.dataset.session = "1";
            }).finally(() => { sessionPromise = null; });
        }
        return sessionPromise;
    }

    // Sends a request as the visitor's account, made first if need be; a 401 (the session expired or the cookie is
    // gone) makes a new account and sends it again.
    async function withSession(request) {
        await ensureSession(false);
        const response = await request();
        if (response.status !== 401) return response;
        await ensureSession(true);
        return request();
    }

    async function sendRating(movieId, value) {
        const url = "/api/v1/me/ratings/" + encodeURIComponent(movieId);
        const request = () => value > 0
            ? fetch(url, { method: "PUT", credentials: "same-origin", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ rating: value }) })
            : fetch(url, { method: "DELETE", credentials: "same-origin" });
        const response = await withSession(request);
        if (!response.ok && !(value === 0 && response.status === 404)) throw new Error("Saving failed (" + response.status + ")");
    }

    // --- Star ratings: role=slider, 0.5 steps; click/tap a half star, or arrows/Home/End/1-5/Delete; Remove takes it back. ---
    function format(v) { return v === 0 ? "not rated" : (Number.isInteger(v) ? v + ".0" : String(v)) + " of 5 stars"; }

    function show(el, v) {
        el.style.setProperty("--value", String(v));
    }

    function setValue(el, v, commitDelay) {
        v = Math.max(0, Math.min(5, Math.round(v * 2) / 2));
        el.dataset.value = String(v);
        el.setAttribute("aria-valuenow", String(v));
        el.setAttribute("aria-valuetext", format(v));
        show(el, v);
        const clear = el.parentElement.querySelector(".clear-rating");
        if (clear) clear.hidden = v === 0;
        clearTimeout(el._timer);
        const status = el.parentElement.querySelector(".rate-status");
        if (status) status.textContent = "…";
        el._unsaved = v;
        el._timer = setTimeout(() => commit(el, v), commitDelay);
        updateProgress();
    }

    // A visitor who leaves while an arrow-key change waits for its pause still has it saved.
    window.addEventListener("pagehide", () => {
        document.querySelectorAll(".stars[role=slider]").forEach(el => {
            if (el._unsaved === undefined) return;
            clearTimeout(el._timer);
            const v = el._unsaved, url = "/api/v1/me/ratings/" + encodeURIComponent(el.dataset.movieId);
            el._unsaved = undefined;
            fetch(url, v > 0
                ? { method: "PUT", keepalive: true, credentials: "same-origin", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ rating: v }) }
                : { method: "DELETE", keepalive: true, credentials: "same-origin" });
        });
    });

    function commit(el, v) {
        const status = el.parentElement.querySelector(".rate-status");
        const card = el.closest(".card");
        if (card && v > 0) { card.classList.remove("unseen"); const b = card.querySelector(".unseen"); if (b) b.setAttribute("aria-pressed", "false"); }
        if (el._unsaved === v) el._unsaved = undefined;
        // Saves of one movie go out one after another, so the last value chosen is the one stored; the status says
        // "Saved" only when nothing newer is waiting (a stale "Saved" would invite leaving before the last change).
        const p = (el._saving || Promise.resolve()).catch(() => {}).then(() => sendRating(el.dataset.movieId, v)).then(() => {
            const latest = el._unsaved === undefined && Number(el.dataset.value || 0) === v;
            if (!latest) return;
            if (status) status.textContent = v > 0 ? "Saved" : "Removed";
            el.dispatchEvent(new CustomEvent("rated", { bubbles: true, detail: { movieId: el.dataset.movieId, value: v } }));
        }, err => {
            if (status) status.textContent = "Not saved: " + err.message;
        });
        el._saving = p;
        pending.add(p);
        p.finally(() => pending.delete(p));
        return p;
    }

    function valueAt(el, clientX) {
        const rect = el.getBoundingClientRect();
        const x = Math.max(0, Math.min(rect.width, clientX - rect.left));
        return Math.max(0.5, Math.ceil(x / rect.width * 10) / 2);
    }

    function initStars(root) {
        root.querySelectorAll(".stars[role=slider]").forEach(el => {
            if (el._ready) return;
            el._ready = true;
            el.addEventListener("pointermove", e => show(el, valueAt(el, e.clientX)));
            el.addEventListener("pointerleave", () => show(el, Number(el.dataset.value || 0)));
            el.addEventListener("click", e => setValue(el, valueAt(el, e.clientX), 0));
            el.addEventListener("keydown", e => {
                const v = Number(el.dataset.value || 0);
                let next = null;
                switch (e.key) {
                    case "ArrowRight": case "ArrowUp": next = Math.min(5, Math.max(0.5, v + 0.5)); break;
                    case "ArrowLeft": case "ArrowDown": next = Math.max(0.5, v - 0.5); break;
                    case "Home": next = 0.5; break;
                    case "End": next = 5; break;
                    case "Delete": case "Backspace": case "0": next = 0; break;
                    default:
                        if (/^[1-5]$/.test(e.key)) next = Number(e.key);
                }
                if (next === null) return;
                e.preventDefault();
                // Arrow keys step through values: save once the visitor pauses.
                setValue(el, next, e.key.startsWith("Arrow") ? 600 : 0);
            });
        });
        // Remove: the mouse and touch way to take a rating back (the keyboard has Delete).
        root.querySelectorAll("button.clear-rating").forEach(b => {
            if (b._ready) return;
            b._ready = true;
            b.addEventListener("click", () => {
                const stars = b.parentElement.querySelector(".stars[role=slider]");
                if (!stars) return;
                setValue(stars, 0, 0);
                stars.focus();
            });
        });
        root.querySelectorAll("button.unseen").forEach(b => {
            if (b._ready) return;
            b._ready = true;
            b.addEventListener("click", () => {
                const card = b.closest(".card");
                const on = b.getAttribute("aria-pressed") !== "true";
                b.setAttribute("aria-pressed", String(on));
                card.classList.toggle("unseen", on);
                const stars = card.querySelector(".stars");
                if (on && stars && Number(stars.dataset.value) > 0) setValue(stars, 0, 0);
            });
        });
    }

    // --- Onboarding: progress and Submit with a loading state. ---
    const onboarding = document.getElementById("onboarding");
    const submit = document.getElementById("submit");
    function updateProgress() {
        if (!onboarding) return;
        const min = Number(onboarding.dataset.minimum || 5);
        // The ratings given on other pages (search, a movie's page) and the ones on this page.
        const count = Number(onboarding.dataset.ratedElsewhere || 0)
            + [...onboarding.querySelectorAll(".stars")].filter(s => Number(s.dataset.value) > 0).length;
        document.getElementById("rated-count").textContent = String(count);
        const hint = document.getElementById("progress-hint");
        if (hint) hint.textContent = count < min ? `rate at least ${min}` : "enough for recommendations";
        const bar = document.getElementById("progress-bar");
        bar.value = Math.min(count, min);
        if (submit) submit.disabled = count < min;
    }
    if (submit) {
        submit.addEventListener("click", async () => {
            submit.disabled = true;
            submit.setAttribute("aria-busy", "true");
            submit.textContent = "Finding your movies…";
            // A change still waiting for the visitor's pause is saved now, not dropped.
            document.querySelectorAll(".stars").forEach(s => { if (s._unsaved !== undefined) { clearTimeout(s._timer); commit(s, s._unsaved); } });
            await Promise.allSettled([...pending]);
            window.location.assign(submit.dataset.href);
        });
    }

    // --- "Not interested" (PUT /api/v1/me/hidden/{id}) and "Show again" (DELETE); "+ Watchlist" on a recommended movie
    // (PUT /api/v1/me/watchlist/{id}) and "Remove" likewise; "Remove" from the films seen (DELETE /api/v1/me/seen/{id}):
    // the recommendations are fetched afresh after each (a hidden or listed movie leaves them), or the page is reloaded
    // where there is no list. ---
    const listActions = [
        ["button.not-interested", "hidden", "PUT", "Hidden: it will not be recommended to you again (see “Not interested” below to undo)."],
        ["button.show-again", "hidden", "DELETE", "It may be recommended again."],
        ["#rec-list button.watchlist-toggle", "watchlist", "PUT", "On your watchlist (below); it leaves the list once you rate it."],
        ["button.watchlist-remove", "watchlist", "DELETE", "Taken off your watchlist."],
        ["button.seen-remove", "seen", "DELETE", "Taken off the movies you have seen: it may be recommended again."],
    ];
    document.addEventListener("click", async e => {
        const action = listActions.find(([selector]) => e.target.closest(selector));
        if (!action) return;
        const [selector, list, method, done] = action;
        const button = e.target.closest(selector), holder = button.closest("li[data-movie-id]");
        const recs = document.getElementById("recs");
        button.disabled = true;
        try {
            const r = await fetch("/api/v1/me/" + list + "/" + encodeURIComponent(holder.dataset.movieId), { method, credentials: "same-origin" });
            if (!r.ok && r.status !== 404) throw new Error(String(r.status));
            if (method === "PUT") holder.classList.add("dismissed");
            if (recs) recs.dispatchEvent(new CustomEvent("rated", { detail: { done } }));
            else window.location.reload();
        } catch (err) {
            button.textContent = "Not saved: " + err.message;
            button.disabled = false;
        }
    });

    // --- "Show only" a genre or decade on the recommendations page: a choice applies at once (the button is for no script). ---
    const filters = document.getElementById("rec-filters");
    if (filters) filters.querySelectorAll("select").forEach(select => select.addEventListener("change", () => filters.requestSubmit()));

    // --- Recommendations: rating a movie refines the list at once (the page re-rendered by the server). ---
    const recs = document.getElementById("recs");
    if (recs) {
        let refreshing = null;
        recs.addEventListener("rated", e => {
            const list = document.getElementById("rec-list");
            const status = document.getElementById("recs-status");
            list.setAttribute("aria-busy", "true");
            status.textContent = "Updating your recommendations…";
            const mine = refreshing = fetch(window.location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
                .then(r => r.ok ? r.text() : Promise.reject(new Error(String(r.status))))
                .then(html => {
                    if (mine !== refreshing) return;
                    const doc = new DOMParser().parseFromString(html, "text/html");
                    const fresh = doc.getElementById("recs");
                    if (!fresh) return;
                    recs.replaceChildren(...[...fresh.childNodes].map(n => document.importNode(n, true)));
                    initStars(recs);
                    document.getElementById("recs-status").textContent = e.detail && e.detail.done ? e.detail.done
                        : e.detail && e.detail.imported ? "Updated with your imported ratings." : "Updated with your new rating.";
                })
                .catch(err => { status.textContent = "Could not update: " + err.message; list.removeAttribute("aria-busy"); });
        });
    }

    // --- Title autocomplete (ARIA combobox) over GET /api/v1/movies?q= ---
    function initAutocomplete(input) {
        const list = document.getElementById(input.getAttribute("aria-controls"));
        let active = -1, items = [], timer = 0, seq = 0;
        const close = () => { list.hidden = true; input.setAttribute("aria-expanded", "false"); input.removeAttribute("aria-activedescendant"); active = -1; };
        const highlight = i => {
            const options = list.querySelectorAll("[role=option]");
            options.forEach((o, k) => o.setAttribute("aria-selected", String(k === i)));
            active = i;
            if (i >= 0 && options[i]) { input.setAttribute("aria-activedescendant", options[i].id); options[i].scrollIntoView({ block: "nearest" }); }
            else input.removeAttribute("aria-activedescendant");
        };
        const go = movie => { window.location.assign("/movies/" + encodeURIComponent(movie.movieId)); };
        input.addEventListener("input", () => {
            clearTimeout(timer);
            const q = input.value.trim();
            if (q.length < 2) { close(); return; }
            timer = setTimeout(async () => {
                const mine = ++seq;
                try {
                    const r = await fetch("/api/v1/movies?pageSize=8&q=" + encodeURIComponent(q), { credentials: "same-origin" });
                    if (!r.ok || mine !== seq) return;
                    items = (await r.json()).items || [];
                } catch { return; }
                list.replaceChildren();
                items.forEach((m, k) => {
                    const li = document.createElement("li");
                    li.id = list.id + "-" + k;
                    li.setAttribute("role", "option");
                    li.setAttribute("aria-selected", "false");
                    li.textContent = m.title + (m.year ? " (" + m.year + ")" : "");
                    li.addEventListener("mousedown", e => { e.preventDefault(); go(m); });
                    list.appendChild(li);
                });
                list.hidden = items.length === 0;
                input.setAttribute("aria-expanded", String(items.length > 0));
                active = -1;
            }, 120);
        });
        input.addEventListener("keydown", e => {
            if (list.hidden) return;
            if (e.key === "ArrowDown") { e.preventDefault(); highlight(Math.min(items.length - 1, active + 1)); }
            else if (e.key === "ArrowUp") { e.preventDefault(); highlight(Math.max(-1, active - 1)); }
            else if (e.key === "Enter" && active >= 0) { e.preventDefault(); go(items[active]); }
            else if (e.key === "Escape") { close(); }
        });
        input.addEventListener("blur", () => setTimeout(close, 150));
    }

    // --- The watchlist toggle on a movie's page: PUT or DELETE /api/v1/me/watchlist/{id} (an account is made first if need be). ---
    document.querySelectorAll(".your-rating button.watchlist-toggle").forEach(button => {
        button.addEventListener("click", async () => {
            const on = button.getAttribute("aria-pressed") === "true";
            const url = "/api/v1/me/watchlist/" + encodeURIComponent(button.dataset.movieId);
            const send = () => fetch(url, { method: on ? "DELETE" : "PUT", credentials: "same-origin" });
            button.disabled = true;
            try {
                const r = await withSession(send);
                if (!r.ok && r.status !== 404) throw new Error(String(r.status));
                button.setAttribute("aria-pressed", String(!on));
                button.textContent = on ? "+ Watchlist" : "On your watchlist ✓";
            } catch (err) {
                button.textContent = "Not saved: " + err.message;
            } finally {
                button.disabled = false;
            }
        });
    });

    // --- Import ratings from an IMDb or Letterboxd export (POST /api/v1/me/ratings/import, the file as the body: CSV, or
    // Letterboxd's zip with the watchlist and the films seen too), a watchlist (POST /api/v1/me/watchlist/import) or films seen (POST /api/v1/me/seen/import). ---
    const importForm = document.getElementById("import-form");
    if (importForm) {
        const input = document.getElementById("import-file");
        const status = document.getElementById("import-status");
        const next = document.getElementById("import-next");
        const missed = document.getElementById("import-unmatched-details");
        const problem = (data, code) => data && data.errors ? Object.values(data.errors).flat().join(" ")
            : (data && data.detail) || "the server answered " + code;
        const kind = () => (importForm.querySelector("input[name=kind]:checked") || { value: "ratings" }).value;
        // A file named like a watchlist (IMDb's WATCHLIST.csv, Letterboxd's watchlist.csv) is one, and Letterboxd's
        // watched.csv is films seen, unless the person says otherwise.
        input.addEventListener("change", () => {
            const file = input.files && input.files[0];
            if (!file) return;
            const wanted = /\.zip$/i.test(file.name) ? "ratings" : /watchlist/i.test(file.name) ? "watchlist" : /^watched/i.test(file.name) ? "seen" : "ratings";
            const radio = importForm.querySelector("input[name=kind][value=" + wanted + "]");
            if (radio) radio.checked = true;
        });
        const plural = (n, one) => n + " " + one + (n === 1 ? "" : "s");
        const source = format => format === "imdb" ? "IMDb" : format === "letterboxd" ? "Letterboxd" : "CSV";
        const listed = (w, where) => {
            let text = plural(w.added, "movie") + " added to " + (where === "seen" ? "the movies you have seen" : "your watchlist");
            const notes = [];
            if (w.alreadyListed > 0) notes.push(w.alreadyListed + " already there");
            if (w.rated > 0) notes.push(w.rated + " you have rated, left off");
            return text + (notes.length ? " (" + notes.join(", ") + ")" : "");
        };
        importForm.addEventListener("submit", async e => {
            e.preventDefault();
            const file = input.files && input.files[0];
            next.hidden = true;
            missed.hidden = true;
            if (!file) { status.textContent = "Choose your file first."; return; }
            if (file.size > Number(input.dataset.maxBytes)) { status.textContent = "Not imported: the file is larger than " + Math.round(Number(input.dataset.maxBytes) / 1048576) + " MiB."; return; }
            const button = document.getElementById("import-submit");
            button.disabled = true;
            button.setAttribute("aria-busy", "true");
            status.textContent = "Importing " + file.name + "…";
            const target = kind() === "ratings" ? null : kind();
            const listImport = target !== null;
            const url = "/api/v1/me/" + (target || "ratings") + "/import?name=" + encodeURIComponent(file.name);
            const type = /\.zip$/i.test(file.name) ? "application/zip" : "text/csv";
            const send = () => fetch(url, { method: "POST", credentials: "same-origin", headers: { "Content-Type": type }, body: file });
            try {
                const r = await withSession(send);
                const data = await r.json().catch(() => null);
                if (!r.ok || !data) { status.textContent = "Not imported: " + problem(data, r.status); return; }
                let text;
                let unmatched = data.unmatched, unmatchedCount = data.unmatchedCount;
                if (listImport) {
                    text = listed(data, target) + " from your " + source(data.format) + " file.";
                } else {
                    text = "Imported " + plural(data.stored, "rating") + " from your " + source(data.format) + " file";
                    if (data.replaced > 0) text += " (" + data.replaced + " replacing ratings you gave here)";
                    for (const [part, name] of [["watchlist", "watchlist.csv"], ["seen", "watched.csv"]]) {
                        const w = data[part];
                        if (!w) continue;
                        text += "; " + listed(w, part);
                        unmatched = unmatched.concat(w.unmatched.map(u => ({ ...u, line: name + ", line " + u.line })));
                        unmatchedCount += w.unmatchedCount;
                    }
                    text += ".";
                }
                if (unmatchedCount > 0) text += " " + plural(unmatchedCount, "row") + " matched no movie of the catalogue.";
                status.textContent = text;
                const list = document.getElementById("import-unmatched");
                list.replaceChildren(...unmatched.map(u => {
                    const li = document.createElement("li");
                    li.textContent = (typeof u.line === "number" ? "Line " + u.line : u.line) + ": " + u.movie + " (" + u.why + ")";
                    return li;
                }));
                document.getElementById("import-unmatched-summary").textContent = "Not found in the catalogue (" + unmatchedCount + ")";
                missed.hidden = unmatchedCount === 0;
                const stored = listImport ? 0 : data.stored;
                const changed = stored + (listImport ? data.added : (data.watchlist ? data.watchlist.added : 0) + (data.seen ? data.seen.added : 0));
                if (stored > 0) {
                    next.hidden = false;
                    // The start page's count: the new ratings are given elsewhere than its star rows.
                    if (onboarding) { onboarding.dataset.ratedElsewhere = String(Number(onboarding.dataset.ratedElsewhere || 0) + data.new); updateProgress(); }
                }
                // On the recommendations page the list follows at once, as after a rating (a watchlisted movie leaves it).
                if (changed > 0 && recs) recs.dispatchEvent(new CustomEvent("rated", { detail: stored > 0 ? { imported: stored }
                    : { done: "Updated: the movies " + (target === "seen" ? "you have seen" : "on your watchlist") + " are kept out of this list." } }));
                // The recommendations page of someone with no rating yet has no list to refresh: shown again, it lists
                // the watchlist (and, with ratings imported, the recommendations).
                else if (changed > 0 && document.getElementById("recs-empty")) window.location.reload();
            } catch (err) {
                status.textContent = "Not imported: " + err.message;
            } finally {
                button.disabled = false;
                button.removeAttribute("aria-busy");
            }
        });
    }

    // --- Delete the account (and every rating) after confirming in a dialog: DELETE /api/v1/me. ---
    const deleteButton = document.getElementById("delete-account");
    const deleteDialog = document.getElementById("delete-account-dialog");
    if (deleteButton && deleteDialog) {
        deleteButton.addEventListener("click", () => deleteDialog.showModal());
        document.getElementById("delete-account-cancel").addEventListener("click", () => deleteDialog.close());
        document.getElementById("delete-account-confirm").addEventListener("click", async () => {
            const status = document.getElementById("delete-account-status");
            status.textContent = "Deleting…";
            try {
                const r = await fetch("/api/v1/me", { method: "DELETE", credentials: "same-origin" });
                if (r.status !== 204 && r.status !== 401) throw new Error(String(r.status));
                body.dataset.session = "0";
                window.location.assign("/?deleted=1");
            } catch (err) {
                status.textContent = "Not deleted: " + err.message;
            }
        });
    }

    // A page shown again from the back/forward cache was frozen before ratings given on later pages: its stars,
    // counts and lists would be out of date, so it is loaded afresh.
    window.addEventListener("pageshow", e => {
        if (e.persisted && document.querySelector(".stars[role=slider]")) window.location.reload();
    });

    initStars(document);
    updateProgress();
    document.querySelectorAll("input[data-autocomplete]").forEach(initAutocomplete);
})();

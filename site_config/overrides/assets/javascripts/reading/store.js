/* The reading list, kept in this browser only (localStorage), one list per site: saved papers with what
 * the pages need to list them, the papers read, and whether lists hide read papers. Nothing is sent
 * anywhere; the reading-list page exports and imports it. */

const VERSION = 1;

export function siteRoot() {
  const config = document.getElementById("__config");
  const base = config ? JSON.parse(config.textContent).base : ".";
  return new URL(base.endsWith("/") ? base : base + "/", location.href);
}

/* An address from an imported file, from the site root: only one on this site (never javascript:). */
function onSite(value, root) {
  try {
    const url = new URL(String(value || ""), root);
    return url.origin === root.origin && url.href.startsWith(root.href) ? url.href.slice(root.href.length) : null;
  } catch {
    return null;
  }
}

export function makeStore(root = siteRoot()) {
  const key = "paper-digest:" + root.pathname;

  function load() {
    try {
      const data = JSON.parse(localStorage.getItem(key) || "null");
      if (data && data.version === VERSION) return data;
    } catch (error) {
      console.warn("Reading list unreadable, starting afresh:", error);
    }
    return { version: VERSION, saved: {}, read: {}, hideRead: false };
  }

  function save(data) {
    localStorage.setItem(key, JSON.stringify(data));
    window.dispatchEvent(new CustomEvent("digest:reading-list"));
  }

  function update(change) {
    const data = load();
    change(data);
    save(data);
  }

  return {
    load,
    isSaved: (id) => id in load().saved,
    isRead: (id) => id in load().read,
    /* Save a paper: {title, url (from the site root), date, topics: [[label, url]], tldr}. */
    add: (id, paper) => update((data) => { data.saved[id] = { ...paper, saved: new Date().toISOString() }; }),
    remove: (id) => update((data) => { delete data.saved[id]; }),
    markRead: (id) => update((data) => { if (!(id in data.read)) data.read[id] = new Date().toISOString(); }),
    markUnread: (id) => update((data) => { delete data.read[id]; }),
    setHideRead: (hide) => update((data) => { data.hideRead = hide; }),
    /* Entries of an exported list, merged in: nothing saved is lost; a paper saved in both keeps its
     * earlier time; read marks are added. */
    merge(imported) {
      const entries = Array.isArray(imported.papers) ? imported.papers : [];
      let added = 0;
      update((data) => {
        for (const entry of entries) {
          if (!entry || typeof entry.id !== "string" || typeof entry.title !== "string") continue;
          const url = onSite(entry.url, root);
          if (url === null) continue;
          const known = data.saved[entry.id];
          const topics = (Array.isArray(entry.topics) ? entry.topics : [])
            .filter((topic) => Array.isArray(topic) && typeof topic[0] === "string")
            .map(([label, href]) => [label, onSite(href, root) || ""]);
          const paper = {
            title: entry.title, url, date: /^\d{4}-\d{2}-\d{2}$/.test(entry.date) ? entry.date : null,
            topics, tldr: String(entry.tldr || ""), saved: String(entry.saved || new Date().toISOString()),
          };
          if (!known) added += 1;
          if (!known || paper.saved < known.saved) data.saved[entry.id] = { ...known, ...paper };
          if (entry.read && !(entry.id in data.read)) data.read[entry.id] = entry.read;
        }
      });
      return added;
    },
  };
}

/* A paper's id from a link to its page, by the address of paper pages that the build gives frame.js
 * (``paper_url``, with {id} for the id; a directory address may end in index.html). */
export function paperId(href, root = siteRoot()) {
  const pattern = self.__digest_frame && self.__digest_frame.paper_url;
  if (!pattern) return null;
  const [before, after] = pattern.split("{id}");
  const url = new URL(href, location.href);
  if (!url.href.startsWith(root.href)) return null;
  let path = url.pathname.slice(root.pathname.length);
  if (after.endsWith("/") && path.endsWith("/index.html")) path = path.slice(0, -"index.html".length);
  if (!path.startsWith(before) || !path.endsWith(after)) return null;
  const id = path.slice(before.length, path.length - after.length);
  return id && !id.includes("/") ? decodeURIComponent(id) : null;
}

/* A page's URL from the site root, as stored (so a list survives the site moving). */
export function fromRoot(href, root = siteRoot()) {
  const url = new URL(href, location.href);
  return url.href.startsWith(root.href) ? url.href.slice(root.href.length) : url.pathname;
}

/* The site's export formats, written in the browser: BibTeX and CSV of a list of papers, and a download.
 * Used by the reading list (library.js) and by the Download buttons of day and topic pages (exports.js). */

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/* @misc entries keyed by paper id (biblatex's date and url, with year and month for BibTeX): the title in
 * double braces, so styles keep its capitals, with TeX's special characters escaped.
 * entries: [{id, title, date (YYYY-MM-DD or empty), url (full address)}]. */
export function bibtex(entries) {
  const escapeTex = (text) => text.replace(/[\\{}%&#$_^~]/g, (c) =>
    ({ "\\": "\\textbackslash{}", "^": "\\^{}", "~": "\\~{}" })[c] || "\\" + c);
  return entries.map(({ id, title, date, url }) => {
    const fields = [["title", "{" + escapeTex(title) + "}"]];
    if (date) {
      const [year, month] = date.split("-");
      fields.push(["date", date], ["year", year], ["month", MONTHS[Number(month) - 1]]);
    }
    fields.push(["url", url]);
    return "@misc{" + id + ",\n" + fields.map(([k, v]) => "  " + k + " = {" + v + "}").join(",\n") + "\n}\n";
  }).join("\n");
}

/* RFC 4180 CSV; a cell a spreadsheet would run as a formula gets a leading apostrophe (OWASP's advice on
 * CSV injection), which spreadsheets show as text. */
export function csv(rows) {
  const cell = (value) => {
    const text = /^[=+\-@\t\r]/.test(value) ? "'" + value : String(value);
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  };
  return rows.map((row) => row.map(cell).join(",")).join("\r\n") + "\r\n";
}

export function download(name, type, text) {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([text], { type }));
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

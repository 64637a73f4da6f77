// The safe line's pages work without this script. Where it runs (a browser with fetch and Web Crypto), it makes
// every form's request one of three sizes (10, 28 or 128 KiB) and sends files in chunks of 96 KiB, each with the
// upload's random token and its index: a chunk sent again after a dropped connection is stored once, and a
// file resumes where it stopped. It keeps nothing in the browser (no storage, no cookies).
(() => {
  'use strict';
  const SIZES = [10240, 28672, 131072], CHUNK = 98304, TRIES = 6;
  if (!window.fetch || !window.crypto || !crypto.subtle || !window.TextEncoder) return;
  const encoder = new TextEncoder();
  const hex = (bytes) => Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
  const token = () => hex(crypto.getRandomValues(new Uint8Array(16)));
  // Uploads of this page, by file, so that sending again resumes them: token and chunks stored.
  const uploads = new Map();

  // A multipart body of exactly one of SIZES bytes: the fields, a chunk's bytes, and a `pad` field.
  function body(fields, data) {
    const boundary = '----line' + token();
    const parts = [];
    let length = 0;
    const add = (x) => { const b = typeof x === 'string' ? encoder.encode(x) : x; parts.push(b); length += b.length; };
    const part = (name, extra) => '--' + boundary + '\r\nContent-Disposition: form-data; name="' + name + '"' + extra + '\r\n\r\n';
    for (const [name, value] of fields) { add(part(name, '')); add(value); add('\r\n'); }
    if (data) { add(part('data', '; filename="b"\r\nContent-Type: application/octet-stream')); add(data); add('\r\n'); }
    const head = encoder.encode(part('pad', '')), tail = encoder.encode('\r\n--' + boundary + '--\r\n');
    const fixed = length + head.length + tail.length;
    const size = SIZES.find((s) => s >= fixed);
    if (!size) return null;
    add(head); add('x'.repeat(size - fixed)); add(tail);
    return { blob: new Blob(parts), type: 'multipart/form-data; boundary=' + boundary };
  }

  // Posts a padded body, trying again (1, 2, 4, 8, 16 s apart) when the connection drops; the page it answers.
  async function post(url, fields, data) {
    const padded = body(fields, data);
    if (!padded) throw new Error('too large');
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await fetch(url, {
          method: 'POST', body: padded.blob, headers: { 'Content-Type': padded.type },
          credentials: 'omit', cache: 'no-store', referrerPolicy: 'no-referrer', redirect: 'error',
        });
        return await response.text();
      } catch (error) {
        if (attempt + 1 >= TRIES) throw error;
        await new Promise((done) => setTimeout(done, 1000 << attempt));
      }
    }
  }

  const show = (page) => { document.open(); document.write(page); document.close(); };

  for (const form of document.querySelectorAll('form[method="post"]')) {
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const button = form.querySelector('button');
      const status = form.querySelector('[data-sending]');
      if (button) button.disabled = true;
      try {
        const fields = [];
        for (const field of form.elements) {
          if (!field.name || field.type === 'file') continue;
          if ((field.type === 'radio' || field.type === 'checkbox') && !field.checked) continue;
          fields.push([field.name, field.value]);
        }
        const input = form.querySelector('input[type="file"]');
        const sent = [];
        const files = input ? Array.from(input.files).filter((f) => f.size > 0) : [];
        const total = files.reduce((n, f) => n + Math.ceil(f.size / CHUNK), 0);
        let done = 0;
        for (const file of files) {
          const key = file.name + '\n' + file.size + '\n' + file.lastModified;
          if (!uploads.has(key)) uploads.set(key, { token: token(), stored: new Set() });
          const upload = uploads.get(key);
          const chunks = Math.ceil(file.size / CHUNK);
          for (let i = 0; i < chunks; i++) {
            if (!upload.stored.has(i)) {
              const data = new Uint8Array(await file.slice(i * CHUNK, (i + 1) * CHUNK).arrayBuffer());
              const page = await post(form.action, [['upload', upload.token], ['chunks', String(chunks)], ['chunk', String(i)]], data);
              // A refusal (too large, too many, busy) is the server's own page: shown as it is.
              if (!page.includes('data-have=')) { show(page); return; }
              upload.stored.add(i);
            }
            done++;
            if (status) { status.hidden = false; status.textContent = status.dataset.sending.replace('%d', done).replace('%t', total); }
          }
          const sha256 = hex(await crypto.subtle.digest('SHA-256', await file.arrayBuffer()));
          sent.push({ token: upload.token, name: file.name, media_type: file.type || 'application/octet-stream', size: file.size, sha256 });
        }
        if (sent.length) fields.push(['uploads', JSON.stringify(sent)]);
        show(await post(form.action, fields, null));
      } catch (error) {
        // The line is unreachable for now: what was stored stays; sending again resumes.
        if (button) button.disabled = false;
        if (status) { status.hidden = false; status.textContent = status.dataset.failed; }
      }
    });
  }
})();

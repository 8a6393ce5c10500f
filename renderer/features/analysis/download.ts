/** Save bytes or text as a file the way a browser does (an <a download> click); works in Electron too. */
export const download = (name: string, content: string, encoding: 'utf8' | 'base64', mime: string): void => {
  const bytes =
    encoding === 'base64' ? Uint8Array.from(atob(content), (c) => c.charCodeAt(0)) : new TextEncoder().encode(content);
  const url = URL.createObjectURL(new Blob([bytes], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
};

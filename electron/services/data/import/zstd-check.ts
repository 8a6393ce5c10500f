import { open } from 'node:fs/promises';

/**
 * DuckDB reads a truncated .zst file without complaint (it stops where the data stops), so Valley checks
 * the frame structure first: walking frame and block headers (RFC 8878) touches a few bytes per 128 KB
 * block, without decompressing. Returns null when every frame is complete, else what is wrong.
 */
export const zstdProblem = async (file: string): Promise<{ offset: number; problem: string } | null> => {
  const handle = await open(file, 'r');
  try {
    const size = (await handle.stat()).size;
    const buf = Buffer.alloc(18);
    const read = async (pos: number, n: number) => {
      const { bytesRead } = await handle.read(buf, 0, n, pos);
      return bytesRead;
    };
    let pos = 0;
    let frames = 0;
    while (pos < size) {
      if ((await read(pos, 4)) < 4) return { offset: pos, problem: 'the file ends inside a frame header' };
      const magic = buf.readUInt32LE(0);
      if (magic >>> 4 === 0x184d2a5) {
        if ((await read(pos + 4, 4)) < 4) return { offset: pos, problem: 'the file ends inside a skippable frame' };
        pos += 8 + buf.readUInt32LE(0);
        continue;
      }
      if (magic !== 0xfd2fb528)
        return { offset: pos, problem: frames ? 'data after the last frame is not Zstandard' : 'not a Zstandard file' };
      if ((await read(pos + 4, 1)) < 1) return { offset: pos, problem: 'the file ends inside a frame header' };
      const fhd = buf[0] as number;
      const single = (fhd >> 5) & 1;
      const fcsFlag = fhd >> 6;
      const fcsSize = fcsFlag === 0 ? single : ([0, 2, 4, 8][fcsFlag] as number);
      const dictSize = [0, 1, 2, 4][fhd & 3] as number;
      const checksum = (fhd >> 2) & 1;
      pos += 5 + (single ? 0 : 1) + dictSize + fcsSize;
      for (;;) {
        if ((await read(pos, 3)) < 3)
          return { offset: pos, problem: 'the data ends inside a block header: the file is truncated' };
        const header = (buf[0] as number) | ((buf[1] as number) << 8) | ((buf[2] as number) << 16);
        const last = header & 1;
        const type = (header >> 1) & 3;
        const blockSize = header >>> 3;
        if (type === 3) return { offset: pos, problem: 'a damaged block (reserved block type)' };
        pos += 3 + (type === 1 ? 1 : blockSize);
        if (pos > size) return { offset: size, problem: 'the data ends inside a block: the file is truncated' };
        if (last) break;
      }
      pos += checksum ? 4 : 0;
      if (pos > size)
        return { offset: size, problem: 'the data ends before the frame checksum: the file is truncated' };
      frames++;
    }
    return null;
  } finally {
    await handle.close();
  }
};

// The StreamReader's byte buffer: extend copies, adopt keeps a handed-over chunk without copying,
// and bytes handed out by take() never change afterwards, whatever is appended or consumed later.
import { ByteBuffer } from '../../lib/internal/bytebuffer';
import { mulberry32 } from '../helpers/prng';

describe('ByteBuffer', () => {
  test('adopt keeps the chunk itself: take of all of it returns the same memory, no copy', () => {
    const buf = new ByteBuffer();
    const chunk = Buffer.from('0123456789');
    buf.adopt(chunk);
    const out = buf.take(10);
    expect(out.buffer).toBe(chunk.buffer);
    expect(out.byteOffset).toBe(chunk.byteOffset);
    expect(out.toString()).toBe('0123456789');
    expect(buf.length).toBe(0);
  });

  test('extend copies: changing the fed Buffer afterwards does not change what is read', () => {
    const buf = new ByteBuffer();
    const chunk = Buffer.from('abc');
    buf.extend(chunk);
    chunk[0] = 0x78;
    expect(buf.take(3).toString()).toBe('abc');
  });

  test('appending after a partial take of an adopted chunk leaves the bytes already taken intact', () => {
    const buf = new ByteBuffer();
    buf.adopt(Buffer.from('hello world'));
    const first = buf.take(6);
    buf.extend(Buffer.from('!!'));
    buf.adopt(Buffer.from('??')); // not empty: copied
    expect(first.toString()).toBe('hello ');
    expect(buf.take(100).toString()).toBe('world!!??');
  });

  test('random adopt/extend/take/discard against a Buffer.concat model (taken bytes never change)', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const rnd = mulberry32(seed);
      const buf = new ByteBuffer();
      let model = Buffer.alloc(0);
      const handedOut: [Buffer, string][] = [];
      for (let step = 0; step < 120; step++) {
        const r = rnd();
        if (r < 0.45) {
          const n = Math.floor(rnd() * 3000);
          const chunk = Buffer.alloc(n);
          const base = Math.floor(rnd() * 256);
          for (let i = 0; i < n; i++) chunk[i] = (base + i * 7) & 0xff;
          const copy = Buffer.from(chunk);
          if (rnd() < 0.5) buf.adopt(chunk);
          else buf.extend(chunk);
          model = Buffer.concat([model, copy]);
        } else if (r < 0.85) {
          const n = Math.floor(rnd() * 2500);
          const got = buf.take(n);
          const want = model.subarray(0, Math.min(n, model.length));
          expect(got.equals(want)).toBe(true);
          handedOut.push([got, got.toString('hex')]);
          model = model.subarray(want.length);
        } else {
          const n = Math.floor(rnd() * 500);
          buf.discard(n);
          model = model.subarray(Math.min(n, model.length));
        }
        expect(buf.length).toBe(model.length);
      }
      expect(buf.toBuffer().equals(model)).toBe(true);
      for (const [b, hex] of handedOut) expect(b.toString('hex')).toBe(hex);
    }
  });
});

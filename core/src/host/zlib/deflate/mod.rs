//! A deflate compressor whose bytes equal Node 20's `zlib` (`deflateSync`, `gzipSync`,
//! `deflateRawSync` and their async forms) at every level.
//!
//! Node bundles Chromium's zlib (`process.versions.zlib` is `1.3.1-…`), which is classic zlib
//! except for its string hash: four bytes read little-endian, multiplied (the "ANZAC" hash),
//! instead of zlib's rolling three-byte hash, and at least 15 hash bits. Everything else here
//! follows zlib's algorithm, written from its description:
//! - hash chains over a 64 KiB window that slides by 32 KiB (`head`/`prev`), with the bytes
//!   past the data zeroed the way zlib's `high_water` does (the hash reads one byte ahead);
//! - levels 1–3 greedy matching (`deflate_fast`), 4–9 lazy matching (`deflate_slow`) with zlib's
//!   configuration table (good/lazy/nice lengths, chain limits) and its `TOO_FAR` rule;
//! - blocks end when 16 383 symbols are buffered; each is sent stored, with the fixed codes or
//!   with dynamic Huffman codes, whichever zlib's size estimate prefers; trees are built with
//!   zlib's heap order (ties broken by depth), its length limiting and its code-length
//!   run-length encoding;
//! - level 0 (`deflate_stored`) depends on the output space of each call, so [`compress`] calls
//!   the stream the way Node's `zlib` binding does: `Z_FINISH` with 16 KiB of output space each
//!   time, until zlib stops asking for more.
//!
//! This file holds the stream (header, trailer, Node's calling pattern), the window and the
//! matcher, and the three compression functions; [`trees`] holds the Huffman half (zlib's
//! `trees.c`). The Adler-32 of the zlib trailer comes from the `adler2` crate, the CRC-32 of
//! gzip's from `crc32fast`.
//!
//! The test `matches_node_at_every_level` (in `core/tests/`) compares with `node` over generated
//! inputs.

/// The container around the deflate data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wrapper {
    /// RFC 1950: two header bytes, Adler-32 trailer (`deflate`).
    Zlib,
    /// RFC 1952: ten header bytes, CRC-32 and length trailer (`gzip`).
    Gzip,
    /// No container (`deflateRaw`).
    Raw,
}

/// Node's default `chunkSize`: the output space of each zlib call.
const CHUNK: usize = 16 * 1024;

const WBITS: u32 = 15;
const WSIZE: usize = 1 << WBITS;
const WMASK: usize = WSIZE - 1;
const WINDOW_SIZE: usize = 2 * WSIZE;
const HASH_BITS: u32 = 15;
const HASH_SIZE: usize = 1 << HASH_BITS;
const HASH_MASK: u32 = (HASH_SIZE - 1) as u32;
/// memLevel 8: 16 KiB of symbols per block, a 64 KiB pending buffer.
const LIT_BUFSIZE: usize = 1 << 14;
const PENDING_BUF_SIZE: usize = 4 * LIT_BUFSIZE;
const SYM_END: usize = LIT_BUFSIZE - 1;
const MIN_MATCH: usize = 3;
const MAX_MATCH: usize = 258;
const MIN_LOOKAHEAD: usize = MAX_MATCH + MIN_MATCH + 1;
const MAX_DIST: usize = WSIZE - MIN_LOOKAHEAD;
const TOO_FAR: usize = 4096;
const MAX_STORED: usize = 65535;
/// How many bytes past the data are kept zeroed (zlib's `WIN_INIT`).
const WIN_INIT: usize = MAX_MATCH;

const LITERALS: usize = 256;
const END_BLOCK: usize = 256;
const LENGTH_CODES: usize = 29;
const L_CODES: usize = LITERALS + 1 + LENGTH_CODES;
const D_CODES: usize = 30;
const BL_CODES: usize = 19;
const HEAP_SIZE: usize = 2 * L_CODES + 1;
const MAX_BITS: usize = 15;
const MAX_BL_BITS: usize = 7;
const REP_3_6: usize = 16;
const REPZ_3_10: usize = 17;
const REPZ_11_138: usize = 18;

const EXTRA_LBITS: [u8; LENGTH_CODES] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
const EXTRA_DBITS: [u8; D_CODES] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];
const EXTRA_BLBITS: [u8; BL_CODES] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 3, 7];
/// The order in which code-length code lengths are sent.
const BL_ORDER: [usize; BL_CODES] = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
];

/// Per-level tuning: (good_length, max_lazy, nice_length, max_chain, lazy matching).
const CONFIG: [(usize, usize, usize, usize, bool); 10] = [
    (0, 0, 0, 0, false),
    (4, 4, 8, 4, false),
    (4, 5, 16, 8, false),
    (4, 6, 32, 32, false),
    (4, 4, 16, 16, true),
    (8, 16, 32, 32, true),
    (8, 16, 128, 128, true),
    (8, 32, 128, 256, true),
    (32, 128, 258, 1024, true),
    (32, 258, 258, 4096, true),
];

mod trees;

use trees::{Tables, Tree};

/// The state of one deflate stream (zlib's `deflate_state` for one `Z_FINISH` run).
struct Deflater<'a> {
    t: Tables,
    level: usize,
    wrapper: Wrapper,
    good_match: usize,
    max_lazy: usize,
    nice_match: usize,
    max_chain: usize,
    lazy: bool,

    input: &'a [u8],
    in_pos: usize,
    check: u32,
    /// The call's output space left (zlib's `avail_out`).
    avail_out: usize,
    out: Vec<u8>,

    window: Vec<u8>,
    high_water: usize,
    head: Vec<u16>,
    prev: Vec<u16>,
    strstart: usize,
    block_start: i64,
    lookahead: usize,
    insert: usize,
    match_length: usize,
    match_start: usize,
    prev_length: usize,
    prev_match: usize,
    match_available: bool,

    pending: Vec<u8>,
    pending_out: usize,
    bi_buf: u32,
    bi_valid: u32,

    ltree: Tree,
    dtree: Tree,
    bltree: Tree,
    bl_count: [u16; MAX_BITS + 1],
    heap: Vec<usize>,
    heap_len: usize,
    heap_max: usize,
    depth: Vec<u8>,
    /// The block's symbols: (distance or 0, literal or length - 3).
    syms: Vec<(u16, u8)>,
    opt_len: u64,
    static_len: u64,

    /// The header was written.
    started: bool,
    /// The compression function has written the last block (zlib's `FINISH_STATE`).
    finishing: bool,
    /// The trailer went to the pending output (zlib negates `wrap`).
    trailer_written: bool,
}

/// What a compression function reports (zlib's `block_state`).
#[derive(Clone, Copy, PartialEq)]
enum BlockState {
    NeedMore,
    FinishStarted,
    FinishDone,
}

/// Compresses `data` at `level` (0–9) into `wrapper`, byte for byte as Node 20's zlib does.
pub fn compress(data: &[u8], level: u32, wrapper: Wrapper) -> Vec<u8> {
    let level = level.min(9) as usize;
    let (good_match, max_lazy, nice_match, max_chain, lazy) = CONFIG[level];
    let mut d = Deflater {
        t: Tables::new(),
        level,
        wrapper,
        good_match,
        max_lazy,
        nice_match,
        max_chain,
        lazy,
        input: data,
        in_pos: 0,
        check: if wrapper == Wrapper::Gzip { 0 } else { 1 },
        avail_out: 0,
        out: Vec::with_capacity(data.len() / 2 + 64),
        window: vec![0; WINDOW_SIZE + 16],
        high_water: 0,
        head: vec![0; HASH_SIZE],
        prev: vec![0; WSIZE],
        strstart: 0,
        block_start: 0,
        lookahead: 0,
        insert: 0,
        match_length: MIN_MATCH - 1,
        match_start: 0,
        prev_length: MIN_MATCH - 1,
        prev_match: 0,
        match_available: false,
        pending: Vec::with_capacity(PENDING_BUF_SIZE),
        pending_out: 0,
        bi_buf: 0,
        bi_valid: 0,
        ltree: Tree::new(HEAP_SIZE),
        dtree: Tree::new(2 * D_CODES + 1),
        bltree: Tree::new(2 * BL_CODES + 1),
        bl_count: [0; MAX_BITS + 1],
        heap: vec![0; HEAP_SIZE],
        heap_len: 0,
        heap_max: 0,
        depth: vec![0; HEAP_SIZE],
        syms: Vec::with_capacity(LIT_BUFSIZE),
        opt_len: 0,
        static_len: 0,
        started: false,
        finishing: false,
        trailer_written: false,
    };
    d.init_block();
    // Node's binding: Z_FINISH with a fresh 16 KiB of output space while zlib fills it.
    loop {
        d.avail_out = CHUNK;
        let done = d.deflate_call();
        if done || d.avail_out != 0 {
            break;
        }
    }
    d.out
}

impl Deflater<'_> {
    // ------------------------------------------------------------------ output

    fn put_byte(&mut self, b: u8) {
        self.pending.push(b);
    }

    fn put_short(&mut self, w: u16) {
        self.put_byte(w as u8);
        self.put_byte((w >> 8) as u8);
    }

    fn put_short_msb(&mut self, w: u16) {
        self.put_byte((w >> 8) as u8);
        self.put_byte(w as u8);
    }

    fn pending_len(&self) -> usize {
        self.pending.len() - self.pending_out
    }

    /// zlib's 16-bit bit buffer: `value` in `length` bits, least significant first.
    fn send_bits(&mut self, value: u32, length: u32) {
        if self.bi_valid > 16 - length {
            self.bi_buf |= (value << self.bi_valid) & 0xffff;
            let w = self.bi_buf as u16;
            self.put_short(w);
            self.bi_buf = value >> (16 - self.bi_valid);
            // bi_valid + length > 16 here, but length - 16 alone would underflow.
            self.bi_valid = self.bi_valid + length - 16;
        } else {
            self.bi_buf |= (value << self.bi_valid) & 0xffff;
            self.bi_valid += length;
        }
    }

    fn bi_flush(&mut self) {
        if self.bi_valid == 16 {
            let w = self.bi_buf as u16;
            self.put_short(w);
            self.bi_buf = 0;
            self.bi_valid = 0;
        } else if self.bi_valid >= 8 {
            let b = self.bi_buf as u8;
            self.put_byte(b);
            self.bi_buf >>= 8;
            self.bi_valid -= 8;
        }
    }

    fn bi_windup(&mut self) {
        if self.bi_valid > 8 {
            let w = self.bi_buf as u16;
            self.put_short(w);
        } else if self.bi_valid > 0 {
            let b = self.bi_buf as u8;
            self.put_byte(b);
        }
        self.bi_buf = 0;
        self.bi_valid = 0;
    }

    /// Moves as much pending output as the call's output space allows.
    fn flush_pending(&mut self) {
        self.bi_flush();
        let len = self.pending_len().min(self.avail_out);
        if len == 0 {
            return;
        }
        let from = self.pending_out;
        self.out.extend_from_slice(&self.pending[from..from + len]);
        self.pending_out += len;
        self.avail_out -= len;
        if self.pending_out == self.pending.len() {
            self.pending.clear();
            self.pending_out = 0;
        }
    }

    // ------------------------------------------------------------------ input

    fn avail_in(&self) -> usize {
        self.input.len() - self.in_pos
    }

    fn update_check(&mut self, bytes: &[u8]) {
        match self.wrapper {
            Wrapper::Zlib => {
                let mut adler = adler2::Adler32::from_checksum(self.check);
                adler.write_slice(bytes);
                self.check = adler.checksum();
            }
            Wrapper::Gzip => {
                let mut h = crc32fast::Hasher::new_with_initial(self.check);
                h.update(bytes);
                self.check = h.finalize();
            }
            Wrapper::Raw => {}
        }
    }

    /// Reads up to `n` input bytes into the window at `at`.
    fn read_into_window(&mut self, at: usize, n: usize) -> usize {
        let n = n.min(self.avail_in());
        let src = &self.input[self.in_pos..self.in_pos + n];
        self.window[at..at + n].copy_from_slice(src);
        self.update_check(src);
        self.in_pos += n;
        n
    }

    /// Copies `n` input bytes straight to the output.
    fn read_into_output(&mut self, n: usize) {
        let src = &self.input[self.in_pos..self.in_pos + n];
        self.out.extend_from_slice(src);
        self.update_check(src);
        self.in_pos += n;
        self.avail_out -= n;
    }

    // ------------------------------------------------------------------ the stream

    /// One `deflate(strm, Z_FINISH)` call; true when the stream ended.
    fn deflate_call(&mut self) -> bool {
        if self.pending_len() != 0 {
            self.flush_pending();
            if self.avail_out == 0 {
                return false;
            }
        }
        if !self.started {
            self.started = true;
            match self.wrapper {
                Wrapper::Zlib => {
                    let level_flags = match self.level {
                        0 | 1 => 0,
                        2..=5 => 1,
                        6 => 2,
                        _ => 3,
                    };
                    let mut header = (8 + ((WBITS - 8) << 4)) << 8;
                    header |= level_flags << 6;
                    header += 31 - (header % 31);
                    self.put_short_msb(header as u16);
                }
                Wrapper::Gzip => {
                    let xfl = match self.level {
                        9 => 2,
                        0 | 1 => 4,
                        _ => 0,
                    };
                    for b in [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, xfl, 3] {
                        self.put_byte(b);
                    }
                }
                Wrapper::Raw => {}
            }
            self.flush_pending();
            if self.pending_len() != 0 {
                return false;
            }
        }
        if self.avail_in() != 0 || self.lookahead != 0 || !self.finishing {
            let state = if self.level == 0 {
                self.deflate_stored()
            } else if self.lazy {
                self.deflate_slow()
            } else {
                self.deflate_fast()
            };
            if state != BlockState::NeedMore {
                self.finishing = true;
            }
            if state != BlockState::FinishDone {
                return false;
            }
        }
        if self.trailer_written {
            return true;
        }
        self.trailer_written = true;
        match self.wrapper {
            Wrapper::Raw => return true,
            Wrapper::Zlib => {
                let a = self.check;
                self.put_short_msb((a >> 16) as u16);
                self.put_short_msb(a as u16);
            }
            Wrapper::Gzip => {
                let crc = self.check.to_le_bytes();
                let len = (self.input.len() as u32).to_le_bytes();
                for b in crc.into_iter().chain(len) {
                    self.put_byte(b);
                }
            }
        }
        self.flush_pending();
        self.pending_len() == 0
    }

    // ------------------------------------------------------------------ the window

    /// Chromium's string hash: four bytes, little-endian, multiplied.
    fn insert_string(&mut self, at: usize) -> usize {
        let w = &self.window;
        let v = u32::from_le_bytes([w[at], w[at + 1], w[at + 2], w[at + 3]]);
        let h = ((v.wrapping_mul(66521).wrapping_add(66521) >> 16) & HASH_MASK) as usize;
        let head = self.head[h];
        self.prev[at & WMASK] = head;
        self.head[h] = at as u16;
        head as usize
    }

    fn slide_hash(&mut self) {
        for p in self.head.iter_mut().chain(self.prev.iter_mut()) {
            *p = p.saturating_sub(WSIZE as u16);
        }
    }

    /// Reads input into the window (sliding it when needed) and hashes pending strings.
    fn fill_window(&mut self) {
        loop {
            let mut more = WINDOW_SIZE - self.lookahead - self.strstart;
            if self.strstart >= WSIZE + MAX_DIST {
                self.window.copy_within(WSIZE..2 * WSIZE - more, 0);
                self.match_start = self.match_start.wrapping_sub(WSIZE);
                self.strstart -= WSIZE;
                self.block_start -= WSIZE as i64;
                if self.insert > self.strstart {
                    self.insert = self.strstart;
                }
                self.slide_hash();
                more += WSIZE;
            }
            if self.avail_in() == 0 {
                break;
            }
            let at = self.strstart + self.lookahead;
            let n = self.read_into_window(at, more);
            self.lookahead += n;
            if self.lookahead + self.insert > MIN_MATCH {
                let mut s = self.strstart - self.insert;
                while self.insert != 0 {
                    self.insert_string(s);
                    s += 1;
                    self.insert -= 1;
                    if self.lookahead + self.insert <= MIN_MATCH {
                        break;
                    }
                }
            }
            if !(self.lookahead < MIN_LOOKAHEAD && self.avail_in() != 0) {
                break;
            }
        }
        // Keep WIN_INIT bytes past the data zeroed (matches and the hash read past the end).
        if self.high_water < WINDOW_SIZE {
            let curr = self.strstart + self.lookahead;
            if self.high_water < curr {
                let init = (WINDOW_SIZE - curr).min(WIN_INIT);
                self.window[curr..curr + init].fill(0);
                self.high_water = curr + init;
            } else if self.high_water < curr + WIN_INIT {
                let init = (curr + WIN_INIT - self.high_water).min(WINDOW_SIZE - self.high_water);
                let hw = self.high_water;
                self.window[hw..hw + init].fill(0);
                self.high_water += init;
            }
        }
    }

    /// The longest match at `strstart` along the hash chain from `cur`, zlib's way (byte 2 is
    /// not compared: equal hashes are taken to fix it).
    fn longest_match(&mut self, mut cur: usize) -> usize {
        let mut chain = self.max_chain;
        let scan = self.strstart;
        let mut best_len = self.prev_length;
        let mut nice = self.nice_match;
        let limit = self.strstart.saturating_sub(MAX_DIST);
        let strend = scan + MAX_MATCH;
        let w = &self.window;
        let mut scan_end1 = w[scan + best_len - 1];
        let mut scan_end = w[scan + best_len];
        if self.prev_length >= self.good_match {
            chain >>= 2;
        }
        if nice > self.lookahead {
            nice = self.lookahead;
        }
        loop {
            let m = cur;
            if w[m + best_len] == scan_end
                && w[m + best_len - 1] == scan_end1
                && w[m] == w[scan]
                && w[m + 1] == w[scan + 1]
            {
                let (mut s, mut t) = (scan + 2, m + 2);
                loop {
                    s += 1;
                    t += 1;
                    if w[s] != w[t] || s >= strend {
                        break;
                    }
                }
                // (zlib unrolls this by eight; 256 compared bytes end exactly at `strend`.)
                let len = MAX_MATCH - (strend - s);
                if len > best_len {
                    self.match_start = cur;
                    best_len = len;
                    if len >= nice {
                        break;
                    }
                    scan_end1 = w[scan + best_len - 1];
                    scan_end = w[scan + best_len];
                }
            }
            cur = self.prev[cur & WMASK] as usize;
            if cur <= limit {
                break;
            }
            chain -= 1;
            if chain == 0 {
                break;
            }
        }
        best_len.min(self.lookahead)
    }

    // ------------------------------------------------------------------ the levels

    /// Level 0: stored blocks, written straight to the output when the call's space allows.
    fn deflate_stored(&mut self) -> BlockState {
        let mut min_block = (PENDING_BUF_SIZE - 5).min(WSIZE);
        let mut last = false;
        let mut used = self.avail_in();
        loop {
            let mut len = MAX_STORED;
            let mut have = ((self.bi_valid + 42) >> 3) as usize;
            if self.avail_out < have {
                break;
            }
            have = self.avail_out - have;
            let mut left = (self.strstart as i64 - self.block_start) as usize;
            len = len.min(left + self.avail_in()).min(have);
            if len < min_block && len != left + self.avail_in() {
                break;
            }
            last = len == left + self.avail_in();
            self.stored_block(None, 0, last);
            let p = self.pending.len();
            self.pending[p - 4] = len as u8;
            self.pending[p - 3] = (len >> 8) as u8;
            self.pending[p - 2] = !(len as u8);
            self.pending[p - 1] = !((len >> 8) as u8);
            self.flush_pending();
            if left != 0 {
                left = left.min(len);
                let b = self.block_start as usize;
                self.out.extend_from_slice(&self.window[b..b + left]);
                self.avail_out -= left;
                self.block_start += left as i64;
                len -= left;
            }
            if len != 0 {
                self.read_into_output(len);
            }
            if last {
                break;
            }
        }
        used -= self.avail_in();
        if used != 0 {
            if used >= WSIZE {
                let src = self.in_pos - WSIZE;
                self.window[..WSIZE].copy_from_slice(&self.input[src..src + WSIZE]);
                self.strstart = WSIZE;
                self.insert = self.strstart;
            } else {
                if WINDOW_SIZE - self.strstart <= used {
                    self.strstart -= WSIZE;
                    let keep = self.strstart;
                    self.window.copy_within(WSIZE..WSIZE + keep, 0);
                    if self.insert > self.strstart {
                        self.insert = self.strstart;
                    }
                }
                let src = self.in_pos - used;
                let dst = self.strstart;
                self.window[dst..dst + used].copy_from_slice(&self.input[src..src + used]);
                self.strstart += used;
                self.insert += used.min(WSIZE - self.insert);
            }
            self.block_start = self.strstart as i64;
        }
        self.high_water = self.high_water.max(self.strstart);
        if last {
            return BlockState::FinishDone;
        }
        let mut have = WINDOW_SIZE - self.strstart;
        if self.avail_in() > have && self.block_start >= WSIZE as i64 {
            self.block_start -= WSIZE as i64;
            self.strstart -= WSIZE;
            let keep = self.strstart;
            self.window.copy_within(WSIZE..WSIZE + keep, 0);
            have += WSIZE;
            if self.insert > self.strstart {
                self.insert = self.strstart;
            }
        }
        have = have.min(self.avail_in());
        if have != 0 {
            let at = self.strstart;
            self.read_into_window(at, have);
            self.strstart += have;
            self.insert += have.min(WSIZE - self.insert);
        }
        self.high_water = self.high_water.max(self.strstart);
        let have = ((self.bi_valid + 42) >> 3) as usize;
        let have = (PENDING_BUF_SIZE - have).min(MAX_STORED);
        min_block = have.min(WSIZE);
        let left = (self.strstart as i64 - self.block_start) as usize;
        if left >= min_block || (self.avail_in() == 0 && left <= have) {
            let len = left.min(have);
            last = self.avail_in() == 0 && len == left;
            let b = self.block_start as usize;
            self.stored_block(Some(b), len, last);
            self.block_start += len as i64;
            self.flush_pending();
        }
        if last {
            BlockState::FinishStarted
        } else {
            BlockState::NeedMore
        }
    }

    /// Levels 1–3: greedy matching.
    fn deflate_fast(&mut self) -> BlockState {
        loop {
            if self.lookahead < MIN_LOOKAHEAD {
                self.fill_window();
                if self.lookahead == 0 {
                    break;
                }
            }
            let mut hash_head = 0;
            if self.lookahead >= MIN_MATCH {
                hash_head = self.insert_string(self.strstart);
            }
            if hash_head != 0 && self.strstart - hash_head <= MAX_DIST {
                self.match_length = self.longest_match(hash_head);
            }
            let bflush;
            if self.match_length >= MIN_MATCH {
                bflush = self.tally_dist(
                    self.strstart - self.match_start,
                    self.match_length - MIN_MATCH,
                );
                self.lookahead -= self.match_length;
                if self.match_length <= self.max_lazy && self.lookahead >= MIN_MATCH {
                    self.match_length -= 1;
                    loop {
                        self.strstart += 1;
                        self.insert_string(self.strstart);
                        self.match_length -= 1;
                        if self.match_length == 0 {
                            break;
                        }
                    }
                    self.strstart += 1;
                } else {
                    self.strstart += self.match_length;
                    self.match_length = 0;
                }
            } else {
                bflush = self.tally_lit(self.window[self.strstart]);
                self.lookahead -= 1;
                self.strstart += 1;
            }
            if bflush {
                self.flush_block(false);
                if self.avail_out == 0 {
                    return BlockState::NeedMore;
                }
            }
        }
        self.insert = self.strstart.min(MIN_MATCH - 1);
        self.flush_block(true);
        if self.avail_out == 0 {
            return BlockState::FinishStarted;
        }
        BlockState::FinishDone
    }

    /// Levels 4–9: lazy matching (a match is taken only if the next position's is not longer).
    fn deflate_slow(&mut self) -> BlockState {
        loop {
            if self.lookahead < MIN_LOOKAHEAD {
                self.fill_window();
                if self.lookahead == 0 {
                    break;
                }
            }
            let mut hash_head = 0;
            if self.lookahead >= MIN_MATCH {
                hash_head = self.insert_string(self.strstart);
            }
            self.prev_length = self.match_length;
            self.prev_match = self.match_start;
            self.match_length = MIN_MATCH - 1;
            if hash_head != 0
                && self.prev_length < self.max_lazy
                && self.strstart - hash_head <= MAX_DIST
            {
                self.match_length = self.longest_match(hash_head);
                if self.match_length <= 5
                    && self.match_length == MIN_MATCH
                    && self.strstart - self.match_start > TOO_FAR
                {
                    self.match_length = MIN_MATCH - 1;
                }
            }
            if self.prev_length >= MIN_MATCH && self.match_length <= self.prev_length {
                let max_insert = self.strstart + self.lookahead - MIN_MATCH;
                let bflush = self.tally_dist(
                    self.strstart - 1 - self.prev_match,
                    self.prev_length - MIN_MATCH,
                );
                self.lookahead -= self.prev_length - 1;
                self.prev_length -= 2;
                loop {
                    self.strstart += 1;
                    if self.strstart <= max_insert {
                        self.insert_string(self.strstart);
                    }
                    self.prev_length -= 1;
                    if self.prev_length == 0 {
                        break;
                    }
                }
                self.match_available = false;
                self.match_length = MIN_MATCH - 1;
                self.strstart += 1;
                if bflush {
                    self.flush_block(false);
                    if self.avail_out == 0 {
                        return BlockState::NeedMore;
                    }
                }
            } else if self.match_available {
                let bflush = self.tally_lit(self.window[self.strstart - 1]);
                if bflush {
                    self.flush_block(false);
                }
                self.strstart += 1;
                self.lookahead -= 1;
                if self.avail_out == 0 {
                    return BlockState::NeedMore;
                }
            } else {
                self.match_available = true;
                self.strstart += 1;
                self.lookahead -= 1;
            }
        }
        if self.match_available {
            self.tally_lit(self.window[self.strstart - 1]);
            self.match_available = false;
        }
        self.insert = self.strstart.min(MIN_MATCH - 1);
        self.flush_block(true);
        if self.avail_out == 0 {
            return BlockState::FinishStarted;
        }
        BlockState::FinishDone
    }
}

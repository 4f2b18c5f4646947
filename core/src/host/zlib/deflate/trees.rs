//! The Huffman half of deflate (zlib's `trees.c`): the fixed tables of the format, the
//! per-block symbol tally, building the dynamic literal/length, distance and bit-length trees
//! (zlib's heap order with ties broken by depth, its length limiting, its run-length encoding
//! of code lengths), and emitting a block stored, with the fixed codes or with dynamic codes,
//! whichever zlib's size estimate prefers.

use super::*;

/// The fixed tables of the deflate format: static codes, and the length/distance code maps.
pub(super) struct Tables {
    static_ltree: [(u16, u8); L_CODES + 2],
    static_dtree: [(u16, u8); D_CODES],
    length_code: [u8; 256],
    dist_code: [u8; 512],
    base_length: [u8; LENGTH_CODES],
    base_dist: [u16; D_CODES],
}

fn bi_reverse(code: u32, len: usize) -> u16 {
    (code.reverse_bits() >> (32 - len)) as u16
}

/// Assigns canonical codes to `lens[0..=max_code]` given the count of codes per length.
fn gen_codes(lens: &[u8], codes: &mut [u16], max_code: usize, bl_count: &[u16; MAX_BITS + 1]) {
    let mut next = [0u32; MAX_BITS + 1];
    let mut code = 0u32;
    for bits in 1..=MAX_BITS {
        code = (code + u32::from(bl_count[bits - 1])) << 1;
        next[bits] = code;
    }
    for n in 0..=max_code {
        let len = lens[n] as usize;
        if len != 0 {
            codes[n] = bi_reverse(next[len], len);
            next[len] += 1;
        }
    }
}

impl Tables {
    // The loops fill several tables indexed by the same code.
    #[allow(clippy::needless_range_loop)]
    pub(super) fn new() -> Tables {
        let mut t = Tables {
            static_ltree: [(0, 0); L_CODES + 2],
            static_dtree: [(0, 0); D_CODES],
            length_code: [0; 256],
            dist_code: [0; 512],
            base_length: [0; LENGTH_CODES],
            base_dist: [0; D_CODES],
        };
        let mut length = 0usize;
        for code in 0..LENGTH_CODES - 1 {
            t.base_length[code] = length as u8;
            for _ in 0..(1 << EXTRA_LBITS[code]) {
                t.length_code[length] = code as u8;
                length += 1;
            }
        }
        // Length 258 (index 255) gets its own code, overwriting the last one of code 27.
        t.length_code[length - 1] = (LENGTH_CODES - 1) as u8;
        let mut dist = 0usize;
        for code in 0..16 {
            t.base_dist[code] = dist as u16;
            for _ in 0..(1 << EXTRA_DBITS[code]) {
                t.dist_code[dist] = code as u8;
                dist += 1;
            }
        }
        dist >>= 7;
        for code in 16..D_CODES {
            t.base_dist[code] = (dist << 7) as u16;
            for _ in 0..(1 << (EXTRA_DBITS[code] - 7)) {
                t.dist_code[256 + dist] = code as u8;
                dist += 1;
            }
        }
        let mut lens = [0u8; L_CODES + 2];
        let mut bl_count = [0u16; MAX_BITS + 1];
        for (n, len) in lens.iter_mut().enumerate() {
            *len = match n {
                0..=143 => 8,
                144..=255 => 9,
                256..=279 => 7,
                _ => 8,
            };
            bl_count[*len as usize] += 1;
        }
        let mut codes = [0u16; L_CODES + 2];
        gen_codes(&lens, &mut codes, L_CODES + 1, &bl_count);
        for n in 0..L_CODES + 2 {
            t.static_ltree[n] = (codes[n], lens[n]);
        }
        for n in 0..D_CODES {
            t.static_dtree[n] = (bi_reverse(n as u32, 5), 5);
        }
        t
    }

    pub(super) fn d_code(&self, dist: usize) -> usize {
        if dist < 256 {
            self.dist_code[dist] as usize
        } else {
            self.dist_code[256 + (dist >> 7)] as usize
        }
    }
}

/// One dynamic tree: frequencies, then (after building) code lengths and codes.
pub(super) struct Tree {
    freq: Vec<u32>,
    dad: Vec<u16>,
    len: Vec<u16>,
    code: Vec<u16>,
    max_code: usize,
}

impl Tree {
    pub(super) fn new(size: usize) -> Tree {
        Tree {
            freq: vec![0; size],
            dad: vec![0; size],
            len: vec![0; size],
            code: vec![0; size],
            max_code: 0,
        }
    }
}

/// Which tree a build works on (they differ in size, extra bits and static lengths).
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Which {
    Lit,
    Dist,
    BitLen,
}

impl Deflater<'_> {
    pub(super) fn init_block(&mut self) {
        self.ltree.freq[..L_CODES].fill(0);
        self.dtree.freq[..D_CODES].fill(0);
        self.bltree.freq[..BL_CODES].fill(0);
        self.ltree.freq[END_BLOCK] = 1;
        self.opt_len = 0;
        self.static_len = 0;
        self.syms.clear();
    }

    pub(super) fn tally_lit(&mut self, c: u8) -> bool {
        self.syms.push((0, c));
        self.ltree.freq[c as usize] += 1;
        self.syms.len() == SYM_END
    }

    pub(super) fn tally_dist(&mut self, dist: usize, len_minus_3: usize) -> bool {
        self.syms.push((dist as u16, len_minus_3 as u8));
        let d = dist - 1;
        self.ltree.freq[self.t.length_code[len_minus_3] as usize + LITERALS + 1] += 1;
        let dc = self.t.d_code(d);
        self.dtree.freq[dc] += 1;
        self.syms.len() == SYM_END
    }

    fn tree_mut(&mut self, which: Which) -> &mut Tree {
        match which {
            Which::Lit => &mut self.ltree,
            Which::Dist => &mut self.dtree,
            Which::BitLen => &mut self.bltree,
        }
    }

    fn tree(&self, which: Which) -> &Tree {
        match which {
            Which::Lit => &self.ltree,
            Which::Dist => &self.dtree,
            Which::BitLen => &self.bltree,
        }
    }

    /// zlib's `smaller`: by frequency, then by depth.
    fn smaller(&self, tree: &Tree, n: usize, m: usize) -> bool {
        tree.freq[n] < tree.freq[m]
            || (tree.freq[n] == tree.freq[m] && self.depth[n] <= self.depth[m])
    }

    fn pqdownheap(&mut self, which: Which, mut k: usize) {
        let v = self.heap[k];
        let mut j = k << 1;
        while j <= self.heap_len {
            let tree = self.tree(which);
            if j < self.heap_len && self.smaller(tree, self.heap[j + 1], self.heap[j]) {
                j += 1;
            }
            if self.smaller(tree, v, self.heap[j]) {
                break;
            }
            self.heap[k] = self.heap[j];
            k = j;
            j <<= 1;
        }
        self.heap[k] = v;
    }

    /// Builds the Huffman tree of `which` from its frequencies: code lengths (limited) and
    /// codes; adds the block's cost to `opt_len` (and `static_len`).
    fn build_tree(&mut self, which: Which) {
        let elems = match which {
            Which::Lit => L_CODES,
            Which::Dist => D_CODES,
            Which::BitLen => BL_CODES,
        };
        let mut max_code: isize = -1;
        self.heap_len = 0;
        self.heap_max = HEAP_SIZE;
        for n in 0..elems {
            if self.tree(which).freq[n] != 0 {
                self.heap_len += 1;
                self.heap[self.heap_len] = n;
                max_code = n as isize;
                self.depth[n] = 0;
            } else {
                self.tree_mut(which).len[n] = 0;
            }
        }
        // At least two codes of nonzero frequency (the format needs a distance code too).
        while self.heap_len < 2 {
            let node = if max_code < 2 {
                max_code += 1;
                max_code as usize
            } else {
                0
            };
            self.heap_len += 1;
            self.heap[self.heap_len] = node;
            self.tree_mut(which).freq[node] = 1;
            self.depth[node] = 0;
            self.opt_len = self.opt_len.wrapping_sub(1);
            let static_len = match which {
                Which::Lit => Some(self.t.static_ltree[node].1),
                Which::Dist => Some(self.t.static_dtree[node].1),
                Which::BitLen => None,
            };
            if let Some(l) = static_len {
                self.static_len = self.static_len.wrapping_sub(u64::from(l));
            }
        }
        let max_code = max_code as usize;
        self.tree_mut(which).max_code = max_code;
        for n in (1..=self.heap_len / 2).rev() {
            self.pqdownheap(which, n);
        }
        let mut node = elems;
        loop {
            let n = self.heap[1];
            self.heap[1] = self.heap[self.heap_len];
            self.heap_len -= 1;
            self.pqdownheap(which, 1);
            let m = self.heap[1];
            self.heap_max -= 1;
            self.heap[self.heap_max] = n;
            self.heap_max -= 1;
            self.heap[self.heap_max] = m;
            let depth = self.depth[n].max(self.depth[m]) + 1;
            let tree = self.tree_mut(which);
            tree.freq[node] = tree.freq[n] + tree.freq[m];
            tree.dad[n] = node as u16;
            tree.dad[m] = node as u16;
            self.depth[node] = depth;
            self.heap[1] = node;
            node += 1;
            self.pqdownheap(which, 1);
            if self.heap_len < 2 {
                break;
            }
        }
        self.heap_max -= 1;
        self.heap[self.heap_max] = self.heap[1];
        self.gen_bitlen(which, max_code);
        let bl_count = self.bl_count;
        let tree = self.tree_mut(which);
        let lens: Vec<u8> = tree.len[..=max_code].iter().map(|&l| l as u8).collect();
        gen_codes(&lens, &mut tree.code, max_code, &bl_count);
    }

    /// Code lengths from the tree, limited to the maximum length the way zlib does it.
    fn gen_bitlen(&mut self, which: Which, max_code: usize) {
        let (max_length, base, extra): (usize, usize, &[u8]) = match which {
            Which::Lit => (MAX_BITS, LITERALS + 1, &EXTRA_LBITS),
            Which::Dist => (MAX_BITS, 0, &EXTRA_DBITS),
            Which::BitLen => (MAX_BL_BITS, 0, &EXTRA_BLBITS),
        };
        self.bl_count = [0; MAX_BITS + 1];
        let root = self.heap[self.heap_max];
        self.tree_mut(which).len[root] = 0;
        let mut overflow = 0i32;
        let mut h = self.heap_max + 1;
        while h < HEAP_SIZE {
            let n = self.heap[h];
            h += 1;
            let tree = self.tree(which);
            let mut bits = tree.len[tree.dad[n] as usize] as usize + 1;
            if bits > max_length {
                bits = max_length;
                overflow += 1;
            }
            self.tree_mut(which).len[n] = bits as u16;
            if n > max_code {
                continue;
            }
            self.bl_count[bits] += 1;
            let xbits = if n >= base { extra[n - base] as u64 } else { 0 };
            let f = u64::from(self.tree(which).freq[n]);
            self.opt_len = self.opt_len.wrapping_add(f * (bits as u64 + xbits));
            let stat = match which {
                Which::Lit => Some(self.t.static_ltree[n].1),
                Which::Dist => Some(self.t.static_dtree[n].1),
                Which::BitLen => None,
            };
            if let Some(sl) = stat {
                self.static_len = self.static_len.wrapping_add(f * (u64::from(sl) + xbits));
            }
        }
        if overflow == 0 {
            return;
        }
        loop {
            let mut bits = max_length - 1;
            while self.bl_count[bits] == 0 {
                bits -= 1;
            }
            self.bl_count[bits] -= 1;
            self.bl_count[bits + 1] += 2;
            self.bl_count[max_length] -= 1;
            overflow -= 2;
            if overflow <= 0 {
                break;
            }
        }
        let mut h = HEAP_SIZE;
        for bits in (1..=max_length).rev() {
            let mut n = self.bl_count[bits];
            while n != 0 {
                h -= 1;
                let m = self.heap[h];
                if m > max_code {
                    continue;
                }
                let tree = self.tree(which);
                if tree.len[m] as usize != bits {
                    let delta = (bits as u64)
                        .wrapping_sub(u64::from(tree.len[m]))
                        .wrapping_mul(u64::from(tree.freq[m]));
                    self.opt_len = self.opt_len.wrapping_add(delta);
                    self.tree_mut(which).len[m] = bits as u16;
                }
                n -= 1;
            }
        }
    }

    /// Counts the code-length codes `tree`'s lengths need (run-length encoded).
    fn scan_tree(&mut self, which: Which) {
        let max_code = self.tree(which).max_code;
        let mut prevlen: i32 = -1;
        let mut nextlen = i32::from(self.tree(which).len[0]);
        let mut count = 0;
        let (mut max_count, mut min_count) = if nextlen == 0 { (138, 3) } else { (7, 4) };
        self.tree_mut(which).len[max_code + 1] = 0xffff;
        for n in 0..=max_code {
            let curlen = nextlen;
            nextlen = i32::from(self.tree(which).len[n + 1]);
            count += 1;
            if count < max_count && curlen == nextlen {
                continue;
            } else if count < min_count {
                self.bltree.freq[curlen as usize] += count as u32;
            } else if curlen != 0 {
                if curlen != prevlen {
                    self.bltree.freq[curlen as usize] += 1;
                }
                self.bltree.freq[REP_3_6] += 1;
            } else if count <= 10 {
                self.bltree.freq[REPZ_3_10] += 1;
            } else {
                self.bltree.freq[REPZ_11_138] += 1;
            }
            count = 0;
            prevlen = curlen;
            (max_count, min_count) = if nextlen == 0 {
                (138, 3)
            } else if curlen == nextlen {
                (6, 3)
            } else {
                (7, 4)
            };
        }
    }

    fn send_code(&mut self, which: Which, c: usize) {
        let (code, len) = match which {
            Which::Lit => (self.ltree.code[c], self.ltree.len[c]),
            Which::Dist => (self.dtree.code[c], self.dtree.len[c]),
            Which::BitLen => (self.bltree.code[c], self.bltree.len[c]),
        };
        self.send_bits(u32::from(code), u32::from(len));
    }

    /// Sends `tree`'s code lengths with the code-length code.
    fn send_tree(&mut self, which: Which, max_code: usize) {
        let mut prevlen: i32 = -1;
        let mut nextlen = i32::from(self.tree(which).len[0]);
        let mut count = 0;
        let (mut max_count, mut min_count) = if nextlen == 0 { (138, 3) } else { (7, 4) };
        for n in 0..=max_code {
            let curlen = nextlen;
            nextlen = i32::from(self.tree(which).len[n + 1]);
            count += 1;
            if count < max_count && curlen == nextlen {
                continue;
            } else if count < min_count {
                while count != 0 {
                    self.send_code(Which::BitLen, curlen as usize);
                    count -= 1;
                }
            } else if curlen != 0 {
                if curlen != prevlen {
                    self.send_code(Which::BitLen, curlen as usize);
                    count -= 1;
                }
                self.send_code(Which::BitLen, REP_3_6);
                self.send_bits(count as u32 - 3, 2);
            } else if count <= 10 {
                self.send_code(Which::BitLen, REPZ_3_10);
                self.send_bits(count as u32 - 3, 3);
            } else {
                self.send_code(Which::BitLen, REPZ_11_138);
                self.send_bits(count as u32 - 11, 7);
            }
            count = 0;
            prevlen = curlen;
            (max_count, min_count) = if nextlen == 0 {
                (138, 3)
            } else if curlen == nextlen {
                (6, 3)
            } else {
                (7, 4)
            };
        }
    }

    /// Builds the code-length tree; returns the index in [`BL_ORDER`] of the last length sent.
    fn build_bl_tree(&mut self) -> usize {
        self.scan_tree(Which::Lit);
        self.scan_tree(Which::Dist);
        self.build_tree(Which::BitLen);
        let mut max_blindex = BL_CODES - 1;
        while max_blindex >= 3 {
            if self.bltree.len[BL_ORDER[max_blindex]] != 0 {
                break;
            }
            max_blindex -= 1;
        }
        self.opt_len = self
            .opt_len
            .wrapping_add(3 * (max_blindex as u64 + 1) + 5 + 5 + 4);
        max_blindex
    }

    fn send_all_trees(&mut self, lcodes: usize, dcodes: usize, blcodes: usize) {
        self.send_bits(lcodes as u32 - 257, 5);
        self.send_bits(dcodes as u32 - 1, 5);
        self.send_bits(blcodes as u32 - 4, 4);
        for &i in &BL_ORDER[..blcodes] {
            let l = u32::from(self.bltree.len[i]);
            self.send_bits(l, 3);
        }
        self.send_tree(Which::Lit, lcodes - 1);
        self.send_tree(Which::Dist, dcodes - 1);
    }

    /// Sends the block's symbols with the static (`dynamic == false`) or the built codes.
    fn compress_block(&mut self, dynamic: bool) {
        let syms = std::mem::take(&mut self.syms);
        let lit = |d: &Deflater, c: usize| {
            if dynamic {
                (d.ltree.code[c], d.ltree.len[c] as u8)
            } else {
                d.t.static_ltree[c]
            }
        };
        let dist = |d: &Deflater, c: usize| {
            if dynamic {
                (d.dtree.code[c], d.dtree.len[c] as u8)
            } else {
                d.t.static_dtree[c]
            }
        };
        for &(d, lc) in &syms {
            let lc = lc as usize;
            if d == 0 {
                let (c, l) = lit(self, lc);
                self.send_bits(u32::from(c), u32::from(l));
            } else {
                let code = self.t.length_code[lc] as usize;
                let (c, l) = lit(self, code + LITERALS + 1);
                self.send_bits(u32::from(c), u32::from(l));
                let extra = u32::from(EXTRA_LBITS[code]);
                if extra != 0 {
                    let v = lc as u32 - u32::from(self.t.base_length[code]);
                    self.send_bits(v, extra);
                }
                let dd = d as usize - 1;
                let code = self.t.d_code(dd);
                let (c, l) = dist(self, code);
                self.send_bits(u32::from(c), u32::from(l));
                let extra = u32::from(EXTRA_DBITS[code]);
                if extra != 0 {
                    let v = dd as u32 - u32::from(self.t.base_dist[code]);
                    self.send_bits(v, extra);
                }
            }
        }
        let (c, l) = lit(self, END_BLOCK);
        self.send_bits(u32::from(c), u32::from(l));
        self.syms = syms;
    }

    /// A stored block of `len` bytes from the window at `from` (`None`: header only).
    pub(super) fn stored_block(&mut self, from: Option<usize>, len: usize, last: bool) {
        self.send_bits(last as u32, 3);
        self.bi_windup();
        self.put_short(len as u16);
        self.put_short(!(len as u16));
        if let Some(from) = from {
            let (a, b) = (from, from + len);
            self.pending.extend_from_slice(&self.window[a..b]);
        }
    }

    /// Ends the current block: stored, fixed or dynamic codes, whichever is smallest by
    /// zlib's estimate.
    pub(super) fn flush_block(&mut self, last: bool) {
        let from = (self.block_start >= 0).then_some(self.block_start as usize);
        let stored_len = (self.strstart as i64 - self.block_start) as u64;
        self.build_tree(Which::Lit);
        self.build_tree(Which::Dist);
        let max_blindex = self.build_bl_tree();
        let mut opt_lenb = (self.opt_len.wrapping_add(3 + 7)) >> 3;
        let static_lenb = (self.static_len.wrapping_add(3 + 7)) >> 3;
        if static_lenb <= opt_lenb {
            opt_lenb = static_lenb;
        }
        if stored_len + 4 <= opt_lenb && from.is_some() {
            self.stored_block(from, stored_len as usize, last);
        } else if static_lenb == opt_lenb {
            self.send_bits((1 << 1) + last as u32, 3);
            self.compress_block(false);
        } else {
            self.send_bits((2 << 1) + last as u32, 3);
            let (l, d) = (self.ltree.max_code + 1, self.dtree.max_code + 1);
            self.send_all_trees(l, d, max_blindex + 1);
            self.compress_block(true);
        }
        self.init_block();
        if last {
            self.bi_windup();
        }
        self.block_start = self.strstart as i64;
        self.flush_pending();
    }
}

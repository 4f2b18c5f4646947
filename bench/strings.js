// String building: concatenation in a loop, template literals, join/split, charCodeAt hashing.
"use strict";
let s = "";
for (let i = 0; i < 200000; i++) {
  s += String.fromCharCode(97 + (i % 26));
  if (i % 1000 === 0) s += i;
}
const parts = [];
for (let i = 0; i < 60000; i++) {
  parts.push(`item-${i}-${i % 13}`);
}
const joined = parts.join(",");
let h = 0;
for (let i = 0; i < joined.length; i++) {
  h = (h * 31 + joined.charCodeAt(i)) % 1000000007;
}
const sevens = joined.split(",").filter((w) => w.endsWith("-7")).length;
let up = "";
for (let i = 0; i < 20000; i++) {
  up = (up + "ab").slice(-50).toUpperCase();
}
console.log("strings checksum", s.length, joined.length, h, sevens, s.slice(0, 30), up.length);

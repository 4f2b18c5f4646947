// Recursive Fibonacci: function calls, comparisons and integer arithmetic.
"use strict";
function fib(n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}
let total = 0;
for (let n = 20; n <= 27; n++) {
  total += fib(n);
}
console.log("fib checksum", fib(27), total);

// Dates on the virtual clock, in UTC: construction, getters, setters, strings, JSON, invalid dates.
const d = new Date(Date.UTC(2024, 0, 15, 9, 5, 7, 45));
console.log(d);
console.log(String(d));
console.log(d.toDateString(), '|', d.toTimeString(), '|', d.toUTCString(), '|', d.toISOString());
console.log(JSON.stringify(d), JSON.stringify({ d }));
console.log(d.toLocaleString(), '|', d.toLocaleDateString(), '|', d.toLocaleTimeString());
console.log(d.getFullYear(), d.getMonth(), d.getDate(), d.getDay(), d.getHours(), d.getMinutes(),
  d.getSeconds(), d.getMilliseconds(), d.getTimezoneOffset(), d.getUTCDay());
console.log('' + d, `${d}`, d - 0, +d, d > 0, d.valueOf() === d.getTime());
console.log(new Date(2024, 0, 31, 10), new Date(2024, 13, 1), new Date(99, 0), new Date(2024, 1));
console.log(new Date('2024-03-10'), new Date('2024-03-10T10:20:30'),
  new Date('2024-03-10T10:20:30.5+02:00'), new Date('2024-03'), new Date('2024'));
console.log(new Date(NaN), String(new Date(NaN)), new Date(8.64e15), new Date(8.64e15 + 1));
console.log(Date.parse('2024-03-10T10:20:30Z'), Date.UTC(2020), Date.UTC(2020, 1, 29));
try { new Date(NaN).toISOString(); } catch (e) { console.log(e.name, e.message); }
console.log(new Date(NaN).toJSON(), new Date(NaN).getFullYear(), new Date(NaN).setHours(1));
const e = new Date(0);
console.log(e.setFullYear(2000), e.setMonth(5, 3), e.setHours(25), e.setUTCMinutes(61, 2), e);
console.log(e.setDate(0), e.setSeconds(-1), e.setMilliseconds(1500), e.setTime(5), e);
console.log(typeof Date(), Date().endsWith('(Coordinated Universal Time)'));
console.log([new Date(0)], { when: new Date(0) });
console.log(new Date(-1), new Date(-62198755200001), new Date(253402300800000));
console.log(Object.prototype.toString.call(new Date(0)), new Date(0) instanceof Date);
console.log(new Date(new Date(5)).getTime(), new Date(true).getTime(), new Date(null).getTime());
const start = Date.now();
setTimeout(() => console.log('elapsed at least 20 ms:', Date.now() - start >= 20), 20);

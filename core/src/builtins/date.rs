//! `Date`: time values on the simulator's virtual clock, in UTC.
//!
//! A `Date` holds one number, milliseconds since 1970-01-01 UTC (NaN for an invalid date). The
//! simulator's local time zone is UTC (what `node` prints with `TZ=UTC`, the case on the
//! machines that check it): local getters equal the UTC ones, `getTimezoneOffset()` is 0 and
//! `toString()` ends in `GMT+0000 (Coordinated Universal Time)`. `toLocale*String` speak
//! `en-US` only.
//!
//! Date strings are parsed only in the ISO 8601 forms of ECMA-262 (`2024-03-10`,
//! `2024-03-10T10:20:30.5+02:00`, …; date-only forms are UTC, date-time forms without an offset
//! local, i.e. UTC too). V8 also accepts many legacy forms (`'Jan 15, 2024'`, `'5'`) with rules
//! of its own; rather than guess, anything else is refused with an `unsupported:` TypeError.
//! Other locales are refused the same way.

use super::{arg, link_ctor};
use crate::heap::{ObjKind, PropKey};
use crate::value::Value;
use crate::vm::{JsResult, Vm};

/// Epoch (ms) that virtual time 0 corresponds to: 2024-01-01T00:00:00Z.
pub const VIRTUAL_EPOCH_MS: f64 = 1_704_067_200_000.0;

const MS_PER_DAY: f64 = 86_400_000.0;
const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Current virtual wall-clock time in ms.
pub fn now_ms(vm: &Vm) -> f64 {
    VIRTUAL_EPOCH_MS + (vm.clock_ns / 1_000_000) as f64
}

/// TimeClip: NaN outside ±8.64e15 ms, else the integer part.
pub fn time_clip(t: f64) -> f64 {
    if !t.is_finite() || t.abs() > 8.64e15 {
        f64::NAN
    } else {
        t.trunc() + 0.0
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (`month` 1..=12; Howard Hinnant's
/// `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// (year, month 1..=12, day 1..=31) of a day number (Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// The calendar fields of a valid time value.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Fields {
    year: i64,
    /// 0..=11, as JavaScript counts months.
    month: i64,
    day: i64,
    weekday: i64,
    hour: i64,
    minute: i64,
    second: i64,
    ms: i64,
}

fn fields(t: f64) -> Fields {
    let days = (t / MS_PER_DAY).floor() as i64;
    let in_day = t.rem_euclid(MS_PER_DAY) as i64;
    let (year, month, day) = civil_from_days(days);
    Fields {
        year,
        month: month - 1,
        day,
        weekday: (days + 4).rem_euclid(7),
        hour: in_day / 3_600_000,
        minute: in_day / 60_000 % 60,
        second: in_day / 1000 % 60,
        ms: in_day % 1000,
    }
}

/// MakeDate(MakeDay(year, month, day), MakeTime(h, m, s, ms)), months beyond 0..=11 carrying
/// into the year; NaN if any part is not finite.
fn make_date(year: f64, month: f64, day: f64, h: f64, m: f64, s: f64, ms: f64) -> f64 {
    let parts = [year, month, day, h, m, s, ms];
    if parts.iter().any(|p| !p.is_finite()) {
        return f64::NAN;
    }
    let [year, month, day, h, m, s, ms] = parts.map(f64::trunc);
    let y = year + (month / 12.0).floor();
    if y.abs() > 400_000.0 {
        return f64::NAN;
    }
    let mn = month.rem_euclid(12.0);
    let days = days_from_civil(y as i64, mn as i64 + 1, 1) as f64 + day - 1.0;
    days * MS_PER_DAY + h * 3_600_000.0 + m * 60_000.0 + s * 1000.0 + ms
}

/// `2024-01-15T09:05:07.045Z`; years outside 0..=9999 as `+010000` / `-000002`.
pub fn iso_string(t: f64) -> String {
    let f = fields(t);
    let year = if (0..=9999).contains(&f.year) {
        format!("{:04}", f.year)
    } else if f.year < 0 {
        format!("-{:06}", -f.year)
    } else {
        format!("+{:06}", f.year)
    };
    format!(
        "{year}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        f.month + 1,
        f.day,
        f.hour,
        f.minute,
        f.second,
        f.ms
    )
}

/// How `console.log` shows a date: its ISO string, or `Invalid Date`.
pub fn inspect_string(t: f64) -> String {
    if t.is_nan() {
        "Invalid Date".into()
    } else {
        iso_string(t)
    }
}

fn year_text(year: i64) -> String {
    if year < 0 {
        format!("-{:06}", -year)
    } else {
        format!("{year:04}")
    }
}

fn date_part(f: &Fields) -> String {
    format!(
        "{} {} {:02} {}",
        DAYS[f.weekday as usize],
        MONTHS[f.month as usize],
        f.day,
        year_text(f.year)
    )
}

fn time_part(f: &Fields) -> String {
    format!(
        "{:02}:{:02}:{:02} GMT+0000 (Coordinated Universal Time)",
        f.hour, f.minute, f.second
    )
}

/// `Date.prototype.toString`: `Mon Jan 15 2024 09:05:07 GMT+0000 (Coordinated Universal Time)`.
pub fn to_date_string(t: f64) -> String {
    if t.is_nan() {
        return "Invalid Date".into();
    }
    let f = fields(t);
    format!("{} {}", date_part(&f), time_part(&f))
}

fn utc_string(t: f64) -> String {
    let f = fields(t);
    format!(
        "{}, {:02} {} {} {:02}:{:02}:{:02} GMT",
        DAYS[f.weekday as usize],
        f.day,
        MONTHS[f.month as usize],
        year_text(f.year),
        f.hour,
        f.minute,
        f.second
    )
}

fn locale_date(f: &Fields) -> String {
    format!("{}/{}/{}", f.month + 1, f.day, f.year)
}

fn locale_time(f: &Fields) -> String {
    let (hour12, half) = match f.hour {
        0 => (12, "AM"),
        1..=11 => (f.hour, "AM"),
        12 => (12, "PM"),
        _ => (f.hour - 12, "PM"),
    };
    format!("{hour12}:{:02}:{:02} {half}", f.minute, f.second)
}

/// Parses the ECMA-262 date time string format; `None` for anything else.
pub fn parse_iso(text: &str) -> Option<f64> {
    let b = text.as_bytes();
    let mut i = 0;
    let digits = |i: &mut usize, n: usize| -> Option<i64> {
        let s = text.get(*i..*i + n)?;
        if !s.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        *i += n;
        s.parse().ok()
    };
    let year = match b.first()? {
        b'+' | b'-' => {
            let negative = b[0] == b'-';
            i = 1;
            let y = digits(&mut i, 6)?;
            if negative && y == 0 {
                return None;
            }
            if negative {
                -y
            } else {
                y
            }
        }
        _ => digits(&mut i, 4)?,
    };
    let (mut month, mut day) = (1, 1);
    if b.get(i) == Some(&b'-') {
        i += 1;
        month = digits(&mut i, 2)?;
        if b.get(i) == Some(&b'-') {
            i += 1;
            day = digits(&mut i, 2)?;
        }
    }
    let (mut h, mut m, mut s, mut ms) = (0, 0, 0, 0.0);
    let mut offset_min = 0;
    if i < b.len() {
        if b[i] != b'T' && b[i] != b't' {
            return None;
        }
        i += 1;
        h = digits(&mut i, 2)?;
        if b.get(i) != Some(&b':') {
            return None;
        }
        i += 1;
        m = digits(&mut i, 2)?;
        if b.get(i) == Some(&b':') {
            i += 1;
            s = digits(&mut i, 2)?;
            if b.get(i) == Some(&b'.') {
                i += 1;
                let start = i;
                while b.get(i).is_some_and(u8::is_ascii_digit) {
                    i += 1;
                }
                if i == start {
                    return None;
                }
                // Only milliseconds count; further digits are dropped.
                let frac = &text[start..i.min(start + 3)];
                ms = frac.parse::<f64>().ok()? * 10f64.powi(3 - frac.len() as i32);
            }
        }
        match b.get(i) {
            None => {}
            Some(b'Z' | b'z') => i += 1,
            Some(&sign @ (b'+' | b'-')) => {
                i += 1;
                let oh = digits(&mut i, 2)?;
                if b.get(i) != Some(&b':') {
                    return None;
                }
                i += 1;
                let om = digits(&mut i, 2)?;
                if oh > 23 || om > 59 {
                    return None;
                }
                offset_min = (oh * 60 + om) * if sign == b'+' { 1 } else { -1 };
            }
            Some(_) => return None,
        }
    }
    if i != b.len() {
        return None;
    }
    let days_in_month = match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if !(1..=12).contains(&month)
        || !(1..=days_in_month).contains(&day)
        || h > 24
        || m > 59
        || s > 59
        || (h == 24 && (m, s, ms) != (0, 0, 0.0))
    {
        return None;
    }
    let t = make_date(
        year as f64,
        (month - 1) as f64,
        day as f64,
        h as f64,
        m as f64,
        s as f64,
        ms,
    ) - offset_min as f64 * 60_000.0;
    Some(time_clip(t))
}

/// `Date.parse` of a string. Telling V8's legacy formats from text that is no date at all (NaN)
/// would need V8's legacy parser, so anything but ISO 8601 is refused.
fn parse_or_refuse(vm: &mut Vm, text: &str) -> Result<f64, Value> {
    match parse_iso(text.trim()) {
        Some(t) => Ok(t),
        None => {
            let shown: String = text.chars().take(40).collect();
            vm.throw_type(&format!(
                "unsupported: the date string '{shown}' (Looplab parses only ISO 8601 dates, \
                 e.g. '2024-03-10T10:20:30Z')"
            ))
        }
    }
}

/// The time value of `this`, or a TypeError.
fn this_time(vm: &mut Vm, this: &Value) -> Result<f64, Value> {
    if let Value::Obj(o) = this {
        if let ObjKind::Date(t) = vm.heap.obj(*o).kind {
            return Ok(t);
        }
    }
    vm.throw_type("this is not a Date object.")
}

fn set_this_time(vm: &mut Vm, this: &Value, t: f64) -> JsResult {
    let t = time_clip(t);
    if let Value::Obj(o) = this {
        vm.heap.obj_mut(*o).kind = ObjKind::Date(t);
    }
    Ok(Value::Num(t))
}

/// The numbers of `args` (ToNumber each, in order).
fn numbers(vm: &mut Vm, args: &[Value]) -> Result<Vec<f64>, Value> {
    args.iter().map(|a| vm.to_number(a)).collect()
}

/// The time value of `new Date(y, m, d?, h?, mi?, s?, ms?)` or `Date.UTC(…)` (local = UTC):
/// years 0..=99 mean 1900..=1999.
fn from_components(n: &[f64]) -> f64 {
    let get = |i: usize, default: f64| n.get(i).copied().unwrap_or(default);
    let mut year = get(0, f64::NAN);
    if year.is_finite() && (0.0..=99.0).contains(&year.trunc()) {
        year = 1900.0 + year.trunc();
    }
    time_clip(make_date(
        year,
        get(1, 0.0),
        get(2, 1.0),
        get(3, 0.0),
        get(4, 0.0),
        get(5, 0.0),
        get(6, 0.0),
    ))
}

fn date_ctor(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let Some(new_target) = vm.new_target.clone() else {
        // Called as a function: the current time as a string; arguments are ignored.
        return Ok(Value::str(&to_date_string(now_ms(vm))));
    };
    let t = match args {
        [] => now_ms(vm),
        [value] => {
            let value = match value {
                Value::Obj(o) => match vm.heap.obj(*o).kind {
                    ObjKind::Date(t) => Value::Num(t),
                    _ => vm.to_primitive(value, "default")?,
                },
                other => other.clone(),
            };
            match &value {
                Value::Str(s) => parse_or_refuse(vm, s.as_ref())?,
                other => time_clip(vm.to_number(other)?),
            }
        }
        _ => {
            let n = numbers(vm, args)?;
            from_components(&n)
        }
    };
    let proto = vm.realm.date_proto;
    Ok(Value::Obj(vm.ordinary_create_from(
        &new_target,
        proto,
        ObjKind::Date(t),
    )))
}

fn date_now(vm: &mut Vm, _this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    Ok(Value::Num(now_ms(vm)))
}

fn date_parse(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let text = vm.to_string(&arg(args, 0))?;
    Ok(Value::Num(parse_or_refuse(vm, &text)?))
}

fn date_utc(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let n = numbers(vm, args)?;
    Ok(Value::Num(from_components(&n)))
}

fn get_time(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    Ok(Value::Num(this_time(vm, &this)?))
}

/// The getters (`getFullYear`, `getUTCHours`, …): the field at `data[0]` of the date's fields.
fn get_field(vm: &mut Vm, this: Value, _args: &[Value], data: &[Value]) -> JsResult {
    let t = this_time(vm, &this)?;
    if t.is_nan() {
        return Ok(Value::Num(f64::NAN));
    }
    let f = fields(t);
    let which = match data.first() {
        Some(Value::Num(n)) => *n as u8,
        _ => 0,
    };
    let v = match which {
        0 => f.year,
        1 => f.month,
        2 => f.day,
        3 => f.weekday,
        4 => f.hour,
        5 => f.minute,
        6 => f.second,
        _ => f.ms,
    };
    Ok(Value::Num(v as f64))
}

fn get_timezone_offset(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    let t = this_time(vm, &this)?;
    Ok(Value::Num(if t.is_nan() { f64::NAN } else { 0.0 }))
}

fn set_time(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    this_time(vm, &this)?;
    let t = vm.to_number(&arg(args, 0))?;
    set_this_time(vm, &this, t)
}

/// The setters (`setFullYear`, `setUTCMinutes`, …): `data[0]` is the index of the first field
/// they set (0 year, 1 month, 2 day, 3 hour, 4 minute, 5 second, 6 ms); later arguments set
/// the following fields, as in `setHours(h, m, s, ms)`.
fn set_fields(vm: &mut Vm, this: Value, args: &[Value], data: &[Value]) -> JsResult {
    let t = this_time(vm, &this)?;
    let first = match data.first() {
        Some(Value::Num(n)) => *n as usize,
        _ => 0,
    };
    let given = numbers(vm, args)?;
    // setFullYear on an invalid date starts from +0; the others leave it invalid.
    let base = if t.is_nan() {
        if first != 0 {
            return Ok(Value::Num(f64::NAN));
        }
        0.0
    } else {
        t
    };
    let f = fields(base);
    let mut parts = [
        f.year as f64,
        f.month as f64,
        f.day as f64,
        f.hour as f64,
        f.minute as f64,
        f.second as f64,
        f.ms as f64,
    ];
    let most = match first {
        0 => 3,
        1 => 2,
        2 => 1,
        3 => 4,
        4 => 3,
        5 => 2,
        _ => 1,
    };
    if given.is_empty() {
        parts[first] = f64::NAN;
    }
    for (k, v) in given.iter().take(most).enumerate() {
        parts[first + k] = *v;
    }
    let [y, mo, d, h, mi, s, ms] = parts;
    set_this_time(vm, &this, make_date(y, mo, d, h, mi, s, ms))
}

/// Refuses a locale other than the default or `en-US`.
fn check_locale(vm: &mut Vm, args: &[Value]) -> Result<(), Value> {
    match args.first() {
        None | Some(Value::Undefined) => Ok(()),
        Some(Value::Str(s)) if s.to_string() == "en-US" => Ok(()),
        Some(other) => {
            let shown = vm.to_display_short(other);
            vm.throw_type(&format!(
                "unsupported: the locale {shown} (Looplab formats dates in en-US only)"
            ))
        }
    }
}

/// The string forms: `data[0]` picks one (see the table in [`install`]).
fn to_text(vm: &mut Vm, this: Value, args: &[Value], data: &[Value]) -> JsResult {
    let t = this_time(vm, &this)?;
    let which = match data.first() {
        Some(Value::Num(n)) => *n as u8,
        _ => 0,
    };
    if which >= 5 {
        check_locale(vm, args)?;
    }
    if t.is_nan() {
        if which == 3 {
            return Err(vm.range_error("Invalid time value"));
        }
        return Ok(Value::str("Invalid Date"));
    }
    let f = fields(t);
    let text = match which {
        0 => to_date_string(t),
        1 => date_part(&f),
        2 => time_part(&f),
        3 => iso_string(t),
        4 => utc_string(t),
        5 => format!("{}, {}", locale_date(&f), locale_time(&f)),
        6 => locale_date(&f),
        _ => locale_time(&f),
    };
    Ok(Value::str(&text))
}

fn to_json(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    let primitive = vm.to_primitive(&this, "number")?;
    if let Value::Num(n) = primitive {
        if !n.is_finite() {
            return Ok(Value::Null);
        }
    }
    let to_iso = vm.heap.key("toISOString");
    let f = vm.get(&this, to_iso)?;
    vm.call(&f, this, &[])
}

/// `Date.prototype[Symbol.toPrimitive]`: the hint "default" means "string" for dates.
fn to_primitive(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    if !matches!(this, Value::Obj(_)) {
        return vm.throw_type("Date.prototype [ @@toPrimitive ] called on non-object");
    }
    let hint = match arg(args, 0) {
        Value::Str(s) => s.to_string(),
        _ => String::new(),
    };
    let order: [&str; 2] = match hint.as_str() {
        "string" | "default" => ["toString", "valueOf"],
        "number" => ["valueOf", "toString"],
        _ => return vm.throw_type(&format!("Invalid hint: {hint}")),
    };
    for name in order {
        let key = vm.heap.key(name);
        let f = vm.get(&this, key)?;
        if vm.is_callable(&f) {
            let r = vm.call(&f, this.clone(), &[])?;
            if !matches!(r, Value::Obj(_)) {
                return Ok(r);
            }
        }
    }
    vm.throw_type("Cannot convert object to primitive value")
}

pub fn install(vm: &mut Vm) {
    let g = vm.realm.global;
    let dp = vm.realm.date_proto;
    let dc = vm.make_native("Date", 7, date_ctor, vec![]);
    link_ctor(vm, dc, dp);
    vm.method(dc, "now", 0, date_now);
    vm.method(dc, "parse", 1, date_parse);
    vm.method(dc, "UTC", 7, date_utc);
    vm.method(dp, "getTime", 0, get_time);
    vm.method(dp, "valueOf", 0, get_time);
    let getters: [(&'static str, &'static str); 8] = [
        ("getFullYear", "getUTCFullYear"),
        ("getMonth", "getUTCMonth"),
        ("getDate", "getUTCDate"),
        ("getDay", "getUTCDay"),
        ("getHours", "getUTCHours"),
        ("getMinutes", "getUTCMinutes"),
        ("getSeconds", "getUTCSeconds"),
        ("getMilliseconds", "getUTCMilliseconds"),
    ];
    for (i, (local, utc)) in getters.into_iter().enumerate() {
        for name in [local, utc] {
            let f = vm.make_native(name, 0, get_field, vec![Value::Num(i as f64)]);
            vm.put_hidden(dp, name, Value::Obj(f));
        }
    }
    vm.method(dp, "getTimezoneOffset", 0, get_timezone_offset);
    vm.method(dp, "setTime", 1, set_time);
    let setters: [(&'static str, &'static str, u8); 7] = [
        ("setFullYear", "setUTCFullYear", 3),
        ("setMonth", "setUTCMonth", 2),
        ("setDate", "setUTCDate", 1),
        ("setHours", "setUTCHours", 4),
        ("setMinutes", "setUTCMinutes", 3),
        ("setSeconds", "setUTCSeconds", 2),
        ("setMilliseconds", "setUTCMilliseconds", 1),
    ];
    for (i, (local, utc, length)) in setters.into_iter().enumerate() {
        for name in [local, utc] {
            let f = vm.make_native(name, length, set_fields, vec![Value::Num(i as f64)]);
            vm.put_hidden(dp, name, Value::Obj(f));
        }
    }
    let texts: [&'static str; 8] = [
        "toString",
        "toDateString",
        "toTimeString",
        "toISOString",
        "toUTCString",
        "toLocaleString",
        "toLocaleDateString",
        "toLocaleTimeString",
    ];
    for (i, name) in texts.into_iter().enumerate() {
        let f = vm.make_native(name, 0, to_text, vec![Value::Num(i as f64)]);
        vm.put_hidden(dp, name, Value::Obj(f));
    }
    let gmt = vm.make_native("toUTCString", 0, to_text, vec![Value::Num(4.0)]);
    vm.put_hidden(dp, "toGMTString", Value::Obj(gmt));
    vm.method(dp, "toJSON", 1, to_json);
    let tp = vm.make_native("[Symbol.toPrimitive]", 1, to_primitive, vec![]);
    let key = PropKey::Sym(vm.syms.to_primitive);
    vm.heap
        .obj_mut(dp)
        .put(key, Value::Obj(tp), crate::heap::CONFIGURABLE);
    vm.put_hidden(g, "Date", Value::Obj(dc));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_round_trip_over_many_centuries() {
        for days in (-800_000..800_000).step_by(997) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days, "{y}-{m}-{d}");
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(iso_string(VIRTUAL_EPOCH_MS), "2024-01-01T00:00:00.000Z");
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
    }

    #[test]
    fn iso_strings_parse_like_ecma_262() {
        assert_eq!(parse_iso("1970-01-01T00:00:00Z"), Some(0.0));
        assert_eq!(parse_iso("2024-03-10T10:20:30Z"), Some(1_710_066_030_000.0));
        assert_eq!(
            parse_iso("2024-03-10T10:20:30.5+02:00"),
            Some(1_710_066_030_500.0 - 7_200_000.0)
        );
        assert_eq!(parse_iso("2024"), Some(1_704_067_200_000.0));
        assert_eq!(
            parse_iso("+010000-01-01T00:00:00.000Z"),
            Some(253_402_300_800_000.0)
        );
        for bad in [
            "",
            "2024-13-01",
            "2024-02-30",
            "2024-1-1",
            "Jan 15, 2024",
            "5",
            "-000000",
        ] {
            assert_eq!(parse_iso(bad), None, "{bad}");
        }
    }

    #[test]
    fn strings_match_node_in_utc() {
        let t = 1_705_309_507_045.0; // 2024-01-15T09:05:07.045Z, a Monday
        assert_eq!(
            to_date_string(t),
            "Mon Jan 15 2024 09:05:07 GMT+0000 (Coordinated Universal Time)"
        );
        assert_eq!(utc_string(t), "Mon, 15 Jan 2024 09:05:07 GMT");
        assert_eq!(iso_string(-1.0), "1969-12-31T23:59:59.999Z");
        assert_eq!(
            iso_string(-62_198_755_200_001.0),
            "-000002-12-31T23:59:59.999Z"
        );
        assert_eq!(inspect_string(f64::NAN), "Invalid Date");
        let f = fields(t);
        assert_eq!(
            format!("{}, {}", locale_date(&f), locale_time(&f)),
            "1/15/2024, 9:05:07 AM"
        );
        assert_eq!(locale_time(&fields(0.0)), "12:00:00 AM");
    }

    #[test]
    fn components_carry_and_clip() {
        assert_eq!(from_components(&[2024.0, 13.0, 1.0]), 1_738_368_000_000.0);
        assert_eq!(from_components(&[99.0, 0.0]), 915_148_800_000.0);
        assert!(from_components(&[f64::NAN]).is_nan());
        assert_eq!(time_clip(8.64e15), 8.64e15);
        assert!(time_clip(8.64e15 + 1.0).is_nan());
    }
}

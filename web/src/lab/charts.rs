//! The lab's charts, drawn as SVG by Yew (no chart library): speedup against threads with the
//! ideal line, the Amdahl fit and error bars; the per-thread chunk timeline; and round-trip time
//! against payload size on log-log axes. Every mark has a `<title>` and every thread is labelled
//! by number, so colour is never the only signal.

use looplab_kernels::stats::{amdahl_speedup, AmdahlFit};
use looplab_kernels::ChunkSpan;
use yew::prelude::*;

use super::protocol::{decades, format_bytes, PointSummary, Scale};

/// Thread colours (thread 1 is the first); the live canvas uses the same palette.
pub const THREAD_COLOURS: [&str; 8] = [
    "#3b82f6", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6", "#14b8a6", "#ec4899", "#84cc16",
];

/// The colour of thread `index` (0-based).
pub fn thread_colour(index: u32) -> &'static str {
    THREAD_COLOURS[index as usize % THREAD_COLOURS.len()]
}

const W: f64 = 420.0;
const H: f64 = 260.0;
const LEFT: f64 = 58.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 40.0;

/// `0.01` → `0.01 ms`, `1000` → `1 s`.
fn format_ms(t: f64) -> String {
    if t >= 1000.0 {
        format!("{} s", t / 1000.0)
    } else {
        format!("{t} ms")
    }
}

fn f(v: f64) -> String {
    format!("{v:.1}")
}

#[derive(Properties, PartialEq)]
pub struct SpeedupProps {
    pub points: Vec<PointSummary>,
    pub fit: Option<AmdahlFit>,
}

/// Speedup against threads: measured medians with min–max error bars, the ideal `y = x`, and
/// the Amdahl curve fitted to the points.
#[function_component(SpeedupChart)]
pub fn speedup_chart(props: &SpeedupProps) -> Html {
    let measured: Vec<_> = props
        .points
        .iter()
        .filter(|p| p.speedup.is_some())
        .collect();
    if measured.is_empty() {
        return html! { <p class="help">{ "The speedup chart needs a 1-thread point as its baseline." }</p> };
    }
    let max_k = props
        .points
        .iter()
        .map(|p| p.threads)
        .max()
        .unwrap_or(1)
        .max(2) as f64;
    let max_y = measured
        .iter()
        .filter_map(|p| p.speedup_range.map(|r| r.1))
        .fold(max_k, f64::max)
        .ceil();
    let x = Scale {
        lo: 1.0,
        hi: max_k,
        px_lo: LEFT,
        px_hi: W - RIGHT,
        log: false,
    };
    let y = Scale {
        lo: 0.0,
        hi: max_y,
        px_lo: H - BOTTOM,
        px_hi: TOP,
        log: false,
    };
    let k_ticks: Vec<u32> = {
        let step = ((max_k / 8.0).ceil() as u32).max(1);
        (1..=max_k as u32).filter(|k| (k - 1) % step == 0).collect()
    };
    let y_ticks: Vec<u32> = {
        let step = ((max_y / 6.0).ceil() as u32).max(1);
        (0..=max_y as u32).step_by(step as usize).collect()
    };
    let amdahl = props.fit.map(|fit| {
        let pts: Vec<String> = (0..=60)
            .map(|i| {
                let p = 1.0 + (max_k - 1.0) * i as f64 / 60.0;
                format!(
                    "{},{}",
                    f(x.at(p)),
                    f(y.at(amdahl_speedup(fit.serial_fraction, p)))
                )
            })
            .collect();
        pts.join(" ")
    });
    html! {
        <svg class="chart" viewBox={format!("0 0 {W} {H}")} role="img" data-testid="lab-speedup-chart"
            aria-label="Speedup against threads: measured points, ideal line and Amdahl fit">
            { for y_ticks.iter().map(|&t| html! {
                <g class="tick">
                    <line x1={f(LEFT)} x2={f(W - RIGHT)} y1={f(y.at(t as f64))} y2={f(y.at(t as f64))} class="grid" />
                    <text x={f(LEFT - 6.0)} y={f(y.at(t as f64) + 4.0)} text-anchor="end">{ format!("{t}×") }</text>
                </g>
            }) }
            { for k_ticks.iter().map(|&k| html! {
                <text class="tick" x={f(x.at(k as f64))} y={f(H - BOTTOM + 16.0)} text-anchor="middle">{ k }</text>
            }) }
            <text class="axis-label" x={f((LEFT + W - RIGHT) / 2.0)} y={f(H - 6.0)} text-anchor="middle">{ "threads" }</text>
            <line class="ideal" x1={f(x.at(1.0))} y1={f(y.at(1.0))} x2={f(x.at(max_k))} y2={f(y.at(max_k))}>
                <title>{ "ideal: k threads, k times faster" }</title>
            </line>
            if let Some(points) = amdahl {
                <polyline class="amdahl" points={points} fill="none">
                    <title>{ "Amdahl's law with the fitted serial fraction" }</title>
                </polyline>
            }
            { for measured.iter().map(|p| {
                let up = p.speedup.unwrap_or(0.0);
                let (cx, cy) = (x.at(p.threads as f64), y.at(up));
                let (lo, hi) = p.speedup_range.unwrap_or((up, up));
                html! {
                    <g class="point" data-testid="lab-speedup-point" data-threads={p.threads.to_string()}>
                        <line class="errbar" x1={f(cx)} x2={f(cx)} y1={f(y.at(lo))} y2={f(y.at(hi))} />
                        <line class="errbar" x1={f(cx - 4.0)} x2={f(cx + 4.0)} y1={f(y.at(lo))} y2={f(y.at(lo))} />
                        <line class="errbar" x1={f(cx - 4.0)} x2={f(cx + 4.0)} y1={f(y.at(hi))} y2={f(y.at(hi))} />
                        <circle cx={f(cx)} cy={f(cy)} r="4">
                            <title>{ format!("{} threads: {up:.2}× (repeats ranged {lo:.2}× to {hi:.2}×)", p.threads) }</title>
                        </circle>
                    </g>
                }
            }) }
        </svg>
    }
}

#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    pub chunks: Vec<ChunkSpan>,
    pub threads: u32,
}

/// One lane per thread, one bar per chunk, from the job's start to its end.
#[function_component(TimelineChart)]
pub fn timeline_chart(props: &TimelineProps) -> Html {
    let Some(t0) = props.chunks.iter().map(|c| c.start_ms).reduce(f64::min) else {
        return html! {};
    };
    let t1 = props.chunks.iter().map(|c| c.end_ms).fold(t0, f64::max);
    let lanes = props
        .chunks
        .iter()
        .map(|c| c.thread + 1)
        .max()
        .unwrap_or(1)
        .max(props.threads);
    let lane_h = 22.0;
    let left = 70.0;
    let height = TOP + lane_h * lanes as f64 + 30.0;
    let x = Scale {
        lo: 0.0,
        hi: (t1 - t0).max(1e-3),
        px_lo: left,
        px_hi: W * 1.5 - RIGHT,
        log: false,
    };
    // Busy time per thread, to label each lane with its share.
    let mut busy = vec![0.0; lanes as usize];
    for c in &props.chunks {
        busy[c.thread as usize] += c.end_ms - c.start_ms;
    }
    html! {
        <svg class="chart timeline" viewBox={format!("0 0 {} {height}", W * 1.5)} role="img"
            data-testid="lab-timeline"
            aria-label={format!("Timeline: {} chunks on {lanes} threads over {:.1} ms", props.chunks.len(), t1 - t0)}>
            { for (0..lanes).map(|lane| {
                let ty = TOP + lane_h * lane as f64;
                html! {
                    <text class="tick" x="4" y={f(ty + 15.0)}>
                        { format!("T{} {:.0}%", lane + 1, 100.0 * busy[lane as usize] / (t1 - t0).max(1e-3)) }
                    </text>
                }
            }) }
            { for props.chunks.iter().map(|c| {
                let ty = TOP + lane_h * c.thread as f64 + 2.0;
                let (a, b) = (x.at(c.start_ms - t0), x.at(c.end_ms - t0));
                html! {
                    <rect x={f(a)} y={f(ty)} width={f((b - a).max(0.8))} height={f(lane_h - 5.0)}
                        fill={thread_colour(c.thread)} class="chunk" data-testid="lab-chunk"
                        data-thread={c.thread.to_string()} data-ms={format!("{:.2}", c.end_ms - c.start_ms)}>
                        <title>{ format!("chunk {} on thread {}: {:.1}–{:.1} ms",
                            c.chunk, c.thread + 1, c.start_ms - t0, c.end_ms - t0) }</title>
                    </rect>
                }
            }) }
            <text class="axis-label" x={f(left)} y={f(height - 8.0)}>{ "0 ms" }</text>
            <text class="axis-label" x={f(W * 1.5 - RIGHT)} y={f(height - 8.0)} text-anchor="end">
                { format!("{:.1} ms", t1 - t0) }</text>
        </svg>
    }
}

/// One line of the messaging chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub name: String,
    pub class: &'static str,
    /// (bytes, median round trip ms)
    pub points: Vec<(u64, f64)>,
}

#[derive(Properties, PartialEq)]
pub struct MessagingProps {
    pub series: Vec<Series>,
}

/// Round-trip time against payload size, both axes logarithmic.
#[function_component(MessagingChart)]
pub fn messaging_chart(props: &MessagingProps) -> Html {
    let all: Vec<(u64, f64)> = props
        .series
        .iter()
        .flat_map(|s| s.points.iter().copied())
        .collect();
    if all.is_empty() {
        return html! {};
    }
    let (bmin, bmax) = all
        .iter()
        .fold((u64::MAX, 0), |(a, b), p| (a.min(p.0), b.max(p.0)));
    let tmin = all
        .iter()
        .map(|p| p.1.max(0.001))
        .fold(f64::INFINITY, f64::min);
    let tmax = all.iter().map(|p| p.1).fold(0.0, f64::max).max(tmin * 10.0);
    let t_ticks = decades(tmin, tmax);
    let (tlo, thi) = (t_ticks[0], t_ticks[t_ticks.len() - 1]);
    let x = Scale {
        lo: bmin as f64,
        hi: (bmax as f64).max(bmin as f64 * 4.0),
        px_lo: LEFT + 8.0,
        px_hi: W - RIGHT,
        log: true,
    };
    let y = Scale {
        lo: tlo,
        hi: thi,
        px_lo: H - BOTTOM,
        px_hi: TOP,
        log: true,
    };
    let mut sizes: Vec<u64> = all.iter().map(|p| p.0).collect();
    sizes.sort_unstable();
    sizes.dedup();
    html! {
        <svg class="chart" viewBox={format!("0 0 {W} {H}")} role="img" data-testid="lab-messaging-chart"
            aria-label="Round-trip time against payload size, log-log">
            { for t_ticks.iter().map(|&t| html! {
                <g class="tick">
                    <line x1={f(LEFT)} x2={f(W - RIGHT)} y1={f(y.at(t))} y2={f(y.at(t))} class="grid" />
                    <text x={f(LEFT - 6.0)} y={f(y.at(t) + 4.0)} text-anchor="end">{ format_ms(t) }</text>
                </g>
            }) }
            { for sizes.iter().enumerate().filter(|(i, _)| i % 2 == 0).map(|(_, &b)| html! {
                <text class="tick" x={f(x.at(b as f64))} y={f(H - BOTTOM + 16.0)} text-anchor="middle">{ format_bytes(b) }</text>
            }) }
            <text class="axis-label" x={f((LEFT + W - RIGHT) / 2.0)} y={f(H - 6.0)} text-anchor="middle">{ "payload size" }</text>
            { for props.series.iter().map(|s| {
                let line: Vec<String> = s.points.iter().map(|&(b, t)| format!("{},{}", f(x.at(b as f64)), f(y.at(t.max(tlo))))).collect();
                html! {
                    <g class={classes!("series", s.class)}>
                        <polyline points={line.join(" ")} fill="none" />
                        { for s.points.iter().map(|&(b, t)| html! {
                            <circle cx={f(x.at(b as f64))} cy={f(y.at(t.max(tlo)))} r="3.5"
                                data-testid="lab-msg-point" data-method={s.class} data-bytes={b.to_string()}
                                data-ms={format!("{t:.3}")}>
                                <title>{ format!("{}: {} round trip in {t:.3} ms", s.name, format_bytes(b)) }</title>
                            </circle>
                        }) }
                    </g>
                }
            }) }
        </svg>
    }
}

//! Streamed samples held back for the live view's next redraw.
//!
//! An engine sends a `Sample` per variant per round — a hundred or more a
//! second on a fast statement — and each one, applied alone, redraws the
//! results, the charts and the panes. That drawing runs on the reader's
//! cores while the engine measures, a neighbour of the very statement being
//! timed. So samples wait, at most `limits::LIVE_REDRAW_MS`, and reach the
//! state together; every other event (a variant done, an error, the end)
//! goes at once, after the samples before it, so the order is the engine's.

use pyrace_model::RunEvent;

/// What to do with one event.
#[derive(Debug, PartialEq)]
pub enum Delivery {
    /// Held back: the first of a batch asks for a redraw to be scheduled.
    Held { first: bool },
    /// To apply now, in this order (held samples first).
    Now(Vec<RunEvent>),
}

/// Samples waiting for the next redraw.
#[derive(Debug, Default)]
pub struct LiveBatch {
    held: Vec<RunEvent>,
}

impl LiveBatch {
    /// Takes the engine's next event.
    pub fn push(&mut self, event: RunEvent) -> Delivery {
        if matches!(event, RunEvent::Sample { .. }) {
            self.held.push(event);
            Delivery::Held {
                first: self.held.len() == 1,
            }
        } else {
            let mut now = std::mem::take(&mut self.held);
            now.push(event);
            Delivery::Now(now)
        }
    }

    /// The samples held so far, for the redraw that is due.
    pub fn drain(&mut self) -> Vec<RunEvent> {
        std::mem::take(&mut self.held)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(round: u32) -> RunEvent {
        RunEvent::Sample {
            run_id: 1,
            variant: "a".into(),
            n: None,
            round,
            seconds_per_loop: 1e-6,
        }
    }

    fn output(text: &str) -> RunEvent {
        RunEvent::Output {
            run_id: 1,
            stream: pyrace_model::OutputStream::Stdout,
            text: text.into(),
            variant: None,
        }
    }

    #[test]
    fn samples_wait_and_only_the_first_asks_for_a_redraw() {
        let mut batch = LiveBatch::default();
        assert_eq!(batch.push(sample(0)), Delivery::Held { first: true });
        assert_eq!(batch.push(sample(1)), Delivery::Held { first: false });
        assert_eq!(batch.drain(), vec![sample(0), sample(1)]);
        assert_eq!(batch.drain(), vec![]);
        assert_eq!(batch.push(sample(2)), Delivery::Held { first: true });
    }

    #[test]
    fn another_event_goes_at_once_after_the_samples_before_it() {
        let mut batch = LiveBatch::default();
        batch.push(sample(0));
        batch.push(sample(1));
        assert_eq!(
            batch.push(output("x")),
            Delivery::Now(vec![sample(0), sample(1), output("x")])
        );
        assert_eq!(batch.drain(), vec![]);
        assert_eq!(batch.push(output("y")), Delivery::Now(vec![output("y")]));
    }
}

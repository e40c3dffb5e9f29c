//! A call tree of one variant's run: one node per distinct path of Python
//! frames from the program's top, with the calls along that path and their
//! inclusive and own seconds. Built from call/return events
//! (`CallTreeBuilder`) or from aggregated stacks (`CallTree::from_stacks`),
//! bounded by `limits::MAX_CALL_TREE_NODES`: calls past the bound are
//! folded into their caller, whose own time they then count as.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::limits::MAX_CALL_TREE_NODES;

/// A Python function, as the profiler names it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Frame {
    pub name: String,
    pub file: String,
    /// The line its code starts at.
    pub line: u32,
}

impl Frame {
    pub fn new(name: impl Into<String>, file: impl Into<String>, line: u32) -> Frame {
        Frame {
            name: name.into(),
            file: file.into(),
            line,
        }
    }

    /// `name (file:line)`.
    pub fn label(&self) -> String {
        format!("{} ({}:{})", self.name, self.file, self.line)
    }
}

/// One path of calls.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallNode {
    /// Index into `CallTree::frames`.
    pub frame: u32,
    /// Index of the caller's node (always lower than this node's); `None`
    /// at the top.
    pub parent: Option<u32>,
    /// Activations of the frame on this path (a generator's every resume
    /// is one, as `cProfile` counts them).
    pub calls: u64,
    /// Seconds in the frame and everything it called.
    pub inclusive: f64,
    /// Seconds in the frame itself.
    pub own: f64,
}

/// The call tree of one run.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CallTree {
    pub frames: Vec<Frame>,
    pub nodes: Vec<CallNode>,
    /// Calls folded into their caller because the tree was full.
    #[serde(default)]
    pub folded_calls: u64,
}

/// A frame's figures over the whole tree.
#[derive(Debug, Clone, PartialEq)]
pub struct FrameTotal {
    pub frame: u32,
    pub calls: u64,
    /// Seconds under the frame, recursive calls counted once.
    pub inclusive: f64,
    pub own: f64,
}

impl CallTree {
    /// Seconds of the whole run: the top frames' inclusive time.
    pub fn total(&self) -> f64 {
        self.nodes
            .iter()
            .filter(|n| n.parent.is_none())
            .map(|n| n.inclusive)
            .sum()
    }

    /// The frame of `node`.
    pub fn frame_of(&self, node: &CallNode) -> &Frame {
        &self.frames[node.frame as usize]
    }

    /// Node indices from the top down to `node`.
    pub fn path(&self, node: usize) -> Vec<usize> {
        let mut path = vec![node];
        let mut at = node;
        while let Some(parent) = self.nodes[at].parent {
            at = parent as usize;
            path.push(at);
        }
        path.reverse();
        path
    }

    /// Each frame's totals, most inclusive time first. A frame that calls
    /// itself counts its inclusive time at its outermost call only.
    pub fn by_frame(&self) -> Vec<FrameTotal> {
        let mut totals: HashMap<u32, FrameTotal> = HashMap::new();
        for (i, node) in self.nodes.iter().enumerate() {
            let total = totals.entry(node.frame).or_insert(FrameTotal {
                frame: node.frame,
                calls: 0,
                inclusive: 0.0,
                own: 0.0,
            });
            total.calls += node.calls;
            total.own += node.own;
            let path = self.path(i);
            let recursive = path[..path.len() - 1]
                .iter()
                .any(|&a| self.nodes[a].frame == node.frame);
            if !recursive {
                total.inclusive += node.inclusive;
            }
        }
        let mut totals: Vec<FrameTotal> = totals.into_values().collect();
        totals.sort_by(|a, b| {
            b.inclusive
                .total_cmp(&a.inclusive)
                .then(a.frame.cmp(&b.frame))
        });
        totals
    }

    /// Every path with its own seconds, as frame indices from the top.
    pub fn stacks(&self) -> impl Iterator<Item = (Vec<u32>, f64)> + '_ {
        (0..self.nodes.len()).map(|i| {
            let frames = self
                .path(i)
                .into_iter()
                .map(|n| self.nodes[n].frame)
                .collect();
            (frames, self.nodes[i].own)
        })
    }

    /// A tree of stacks and their own seconds (`a;b;c 123` lines read
    /// back, samples of a sampling profiler): the same path adds up.
    pub fn from_stacks(stacks: impl IntoIterator<Item = (Vec<Frame>, f64)>) -> CallTree {
        let mut tree = TreeNodes::new(MAX_CALL_TREE_NODES);
        for (stack, seconds) in stacks {
            let mut parent = None;
            for frame in &stack {
                match tree.child(parent, frame) {
                    Some(node) => {
                        tree.nodes[node as usize].inclusive += seconds;
                        parent = Some(node);
                    }
                    None => {
                        tree.folded_calls += 1;
                        break;
                    }
                }
            }
            if let Some(node) = parent {
                tree.nodes[node as usize].own += seconds;
                tree.nodes[node as usize].calls += 1;
            }
        }
        tree.finish()
    }

    /// One tree of several: the same path of frames in any of them is one
    /// node, with their calls and seconds added up. Paths past
    /// `limits::MAX_CALL_TREE_NODES` fold into their nearest kept caller.
    /// Each tree must be checked (`bounded`) first.
    pub fn merged<'a>(trees: impl IntoIterator<Item = &'a CallTree>) -> CallTree {
        let mut out = TreeNodes::new(MAX_CALL_TREE_NODES);
        for tree in trees {
            out.folded_calls += tree.folded_calls;
            // Where each node of `tree` went: its merged node, or its
            // nearest kept caller's when folded (None above the top).
            let mut to: Vec<Option<u32>> = Vec::with_capacity(tree.nodes.len());
            let mut kept: Vec<bool> = Vec::with_capacity(tree.nodes.len());
            for node in &tree.nodes {
                let parent = node.parent.map(|p| p as usize);
                let caller = parent.and_then(|p| to[p]);
                let parent_kept = parent.is_none_or(|p| kept[p]);
                let merged = if parent_kept {
                    out.child(caller, &tree.frames[node.frame as usize])
                } else {
                    None
                };
                match merged {
                    Some(m) => {
                        let n = &mut out.nodes[m as usize];
                        n.calls += node.calls;
                        n.inclusive += node.inclusive;
                        n.own += node.own;
                    }
                    None => {
                        out.folded_calls += node.calls;
                        if let Some(c) = caller {
                            out.nodes[c as usize].own += node.own;
                        }
                    }
                }
                to.push(merged.or(caller));
                kept.push(merged.is_some());
            }
        }
        out.finish()
    }

    /// The tree cut to `limits::MAX_CALL_TREE_NODES` nodes, and checked: a
    /// tree from outside (another engine's reply) whose parents or frames
    /// point nowhere is refused. Nodes past the bound give their own time
    /// to their nearest kept ancestor.
    pub fn bounded(mut self) -> Result<CallTree, String> {
        for (i, node) in self.nodes.iter().enumerate() {
            if node.frame as usize >= self.frames.len() {
                return Err(format!("node {i} names frame {} of none", node.frame));
            }
            if node.parent.is_some_and(|p| p as usize >= i) {
                return Err(format!("node {i} comes before its parent"));
            }
        }
        if self.nodes.len() > MAX_CALL_TREE_NODES {
            for i in MAX_CALL_TREE_NODES..self.nodes.len() {
                let mut at = i;
                while at >= MAX_CALL_TREE_NODES {
                    match self.nodes[at].parent {
                        Some(p) => at = p as usize,
                        None => break,
                    }
                }
                if at < MAX_CALL_TREE_NODES {
                    self.nodes[at].own += self.nodes[i].own;
                }
                self.folded_calls += self.nodes[i].calls;
            }
            self.nodes.truncate(MAX_CALL_TREE_NODES);
        }
        Ok(self)
    }
}

/// Nodes being built: the frame table and the index of each node's
/// children, which the finished tree does without.
struct TreeNodes {
    frames: Vec<Frame>,
    frame_index: HashMap<Frame, u32>,
    nodes: Vec<CallNode>,
    children: HashMap<(Option<u32>, u32), u32>,
    limit: usize,
    folded_calls: u64,
}

impl TreeNodes {
    fn new(limit: usize) -> TreeNodes {
        TreeNodes {
            frames: Vec::new(),
            frame_index: HashMap::new(),
            nodes: Vec::new(),
            children: HashMap::new(),
            limit,
            folded_calls: 0,
        }
    }

    /// The node of `frame` called from `parent`, made if new; `None` when
    /// it is new and the tree is full.
    fn child(&mut self, parent: Option<u32>, frame: &Frame) -> Option<u32> {
        let frame = match self.frame_index.get(frame) {
            Some(&i) => i,
            None => {
                self.frames.push(frame.clone());
                let i = (self.frames.len() - 1) as u32;
                self.frame_index.insert(frame.clone(), i);
                i
            }
        };
        if let Some(&node) = self.children.get(&(parent, frame)) {
            return Some(node);
        }
        if self.nodes.len() >= self.limit {
            return None;
        }
        self.nodes.push(CallNode {
            frame,
            parent,
            calls: 0,
            inclusive: 0.0,
            own: 0.0,
        });
        let node = (self.nodes.len() - 1) as u32;
        self.children.insert((parent, frame), node);
        Some(node)
    }

    fn finish(self) -> CallTree {
        CallTree {
            frames: self.frames,
            nodes: self.nodes,
            folded_calls: self.folded_calls,
        }
    }
}

/// An activation not yet returned from.
struct Open {
    /// Its node; `None` when folded into the caller.
    node: Option<u32>,
    start: f64,
    /// Seconds of its callees that have their own node.
    in_callees: f64,
}

/// Builds a call tree from call and return events, in order, with their
/// times in seconds. Keeps one entry per open call and one per node.
pub struct CallTreeBuilder {
    tree: TreeNodes,
    open: Vec<Open>,
}

impl Default for CallTreeBuilder {
    fn default() -> Self {
        CallTreeBuilder::with_limit(MAX_CALL_TREE_NODES)
    }
}

impl CallTreeBuilder {
    pub fn with_limit(limit: usize) -> CallTreeBuilder {
        CallTreeBuilder {
            tree: TreeNodes::new(limit),
            open: Vec::new(),
        }
    }

    /// `frame` was called (or resumed) at `at`.
    pub fn enter(&mut self, frame: &Frame, at: f64) {
        // A folded call's callees fold into the same caller.
        let caller = self.open.iter().rev().find_map(|o| o.node);
        let node = if self.open.last().is_some_and(|o| o.node.is_none()) {
            None
        } else {
            self.tree.child(caller, frame)
        };
        match node {
            Some(node) => self.tree.nodes[node as usize].calls += 1,
            None => self.tree.folded_calls += 1,
        }
        self.open.push(Open {
            node,
            start: at,
            in_callees: 0.0,
        });
    }

    /// The innermost open call returned (or yielded, or raised) at `at`.
    /// A return with no call open is ignored.
    pub fn exit(&mut self, at: f64) {
        let Some(open) = self.open.pop() else { return };
        let Some(node) = open.node else { return };
        let elapsed = (at - open.start).max(0.0);
        let n = &mut self.tree.nodes[node as usize];
        n.inclusive += elapsed;
        n.own += (elapsed - open.in_callees).max(0.0);
        if let Some(caller) = self.open.iter_mut().rev().find(|o| o.node.is_some()) {
            caller.in_callees += elapsed;
        }
    }

    /// The tree, the calls still open (the program raised or was stopped)
    /// closed at `at`.
    pub fn finish(mut self, at: f64) -> CallTree {
        while !self.open.is_empty() {
            self.exit(at);
        }
        self.tree.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(name: &str) -> Frame {
        Frame::new(name, "prog", 1)
    }

    /// main calls work twice and helper once; work calls helper each time.
    fn sample_tree() -> CallTree {
        let mut b = CallTreeBuilder::default();
        b.enter(&f("main"), 0.0);
        for start in [1.0, 4.0] {
            b.enter(&f("work"), start);
            b.enter(&f("helper"), start + 1.0);
            b.exit(start + 2.0);
            b.exit(start + 3.0);
        }
        b.enter(&f("helper"), 8.0);
        b.exit(8.5);
        b.exit(10.0);
        b.finish(10.0)
    }

    #[test]
    fn calls_and_returns_make_inclusive_and_own_times() {
        let tree = sample_tree();
        assert_eq!(tree.nodes.len(), 4);
        assert!((tree.total() - 10.0).abs() < 1e-12);
        let main = &tree.nodes[0];
        assert_eq!((main.calls, main.inclusive), (1, 10.0));
        assert!((main.own - 3.5).abs() < 1e-12);
        let work = &tree.nodes[1];
        assert_eq!((work.calls, work.inclusive, work.own), (2, 6.0, 4.0));
        let totals = tree.by_frame();
        let names: Vec<&str> = totals
            .iter()
            .map(|t| tree.frames[t.frame as usize].name.as_str())
            .collect();
        assert_eq!(names, ["main", "work", "helper"]);
        assert_eq!(totals[2].calls, 3);
        assert!((totals[2].inclusive - 2.5).abs() < 1e-12);
    }

    #[test]
    fn recursion_counts_inclusive_time_once() {
        let mut b = CallTreeBuilder::default();
        b.enter(&f("fib"), 0.0);
        b.enter(&f("fib"), 1.0);
        b.enter(&f("fib"), 2.0);
        b.exit(3.0);
        b.exit(4.0);
        let tree = b.finish(5.0);
        let totals = tree.by_frame();
        assert_eq!(totals.len(), 1);
        assert_eq!(totals[0].calls, 3);
        assert!((totals[0].inclusive - 5.0).abs() < 1e-12);
        assert!((totals[0].own - 5.0).abs() < 1e-12);
    }

    #[test]
    fn open_calls_close_at_the_end() {
        let mut b = CallTreeBuilder::default();
        b.enter(&f("main"), 0.0);
        b.enter(&f("boom"), 1.0);
        let tree = b.finish(3.0);
        assert_eq!(tree.nodes[1].inclusive, 2.0);
        assert_eq!(tree.nodes[0].own, 1.0);
        // A stray return is ignored.
        let mut b = CallTreeBuilder::default();
        b.exit(1.0);
        assert!(b.finish(1.0).nodes.is_empty());
    }

    #[test]
    fn a_full_tree_folds_new_calls_into_their_caller() {
        let mut b = CallTreeBuilder::with_limit(2);
        b.enter(&f("main"), 0.0);
        b.enter(&f("a"), 1.0);
        b.enter(&f("deep"), 2.0);
        b.enter(&f("deeper"), 2.5);
        b.exit(2.8);
        b.exit(3.0);
        b.exit(4.0);
        b.enter(&f("b"), 5.0);
        b.exit(6.0);
        let tree = b.finish(7.0);
        assert_eq!(tree.nodes.len(), 2);
        assert_eq!(tree.folded_calls, 3);
        // deep's time is a's own; b's is main's.
        assert_eq!(tree.nodes[1].own, 3.0);
        assert_eq!(tree.nodes[0].own, 4.0);
        assert_eq!(tree.total(), 7.0);
    }

    #[test]
    fn stacks_make_the_same_tree_back() {
        let tree = sample_tree();
        let stacks: Vec<(Vec<Frame>, f64)> = tree
            .stacks()
            .map(|(frames, own)| {
                let frames = frames
                    .iter()
                    .map(|&i| tree.frames[i as usize].clone())
                    .collect();
                (frames, own)
            })
            .collect();
        let back = CallTree::from_stacks(stacks);
        assert_eq!(back.nodes.len(), tree.nodes.len());
        for (a, b) in back.nodes.iter().zip(&tree.nodes) {
            assert!((a.inclusive - b.inclusive).abs() < 1e-12);
            assert!((a.own - b.own).abs() < 1e-12);
        }
    }

    #[test]
    fn merged_trees_add_up_the_same_paths() {
        let one = sample_tree();
        let mut b = CallTreeBuilder::default();
        b.enter(&f("main"), 0.0);
        b.enter(&f("work"), 0.0);
        b.exit(2.0);
        b.enter(&f("other"), 2.0);
        b.exit(3.0);
        let two = b.finish(4.0);
        let merged = CallTree::merged([&one, &two]);
        // main, work, helper under work, helper under main, other.
        assert_eq!(merged.nodes.len(), 5);
        assert!((merged.total() - 14.0).abs() < 1e-12);
        let work = merged
            .nodes
            .iter()
            .find(|n| merged.frame_of(n).name == "work")
            .unwrap();
        assert_eq!((work.calls, work.inclusive, work.own), (3, 8.0, 6.0));
        let own: f64 = merged.nodes.iter().map(|n| n.own).sum();
        assert!((own - 14.0).abs() < 1e-12, "every second stays somewhere");
    }

    #[test]
    fn a_tree_from_outside_is_checked_and_cut() {
        let bad = CallTree {
            frames: vec![f("a")],
            nodes: vec![CallNode {
                frame: 0,
                parent: Some(0),
                calls: 1,
                inclusive: 1.0,
                own: 1.0,
            }],
            folded_calls: 0,
        };
        assert!(bad.bounded().is_err());
        let nodes = (0..MAX_CALL_TREE_NODES as u32 + 2)
            .map(|i| CallNode {
                frame: 0,
                parent: i.checked_sub(1),
                calls: 1,
                inclusive: 1.0,
                own: 1.0,
            })
            .collect();
        let cut = CallTree {
            frames: vec![f("a")],
            nodes,
            folded_calls: 0,
        }
        .bounded()
        .unwrap();
        assert_eq!(cut.nodes.len(), MAX_CALL_TREE_NODES);
        assert_eq!(cut.folded_calls, 2);
        assert_eq!(cut.nodes[MAX_CALL_TREE_NODES - 1].own, 3.0);
    }
}

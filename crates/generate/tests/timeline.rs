//! The timeline a world is written as reads back, through the same parser
//! as every timeline, as the same world: entities, sources and every
//! relationship with its dates, amount and evidence.

#![allow(
    unused_crate_dependencies,
    reason = "an integration test crate sees every dependency of its package"
)]

use interlock_generate::{World, WorldConfig, write_timeline};
use interlock_load::parse_timeline;
use std::path::Path;

#[test]
fn every_generated_timeline_reads_back_identically() {
    for seed in [1, 2, 3] {
        let world = World::new(WorldConfig {
            relationships: 400,
            seed,
        });
        let mut text = Vec::new();
        write_timeline(&world, &mut text).unwrap();
        let text = String::from_utf8(text).unwrap();
        let read = parse_timeline(Path::new("world.toml"), &text)
            .unwrap_or_else(|p| panic!("seed {seed}: {:?}", &p[..p.len().min(3)]));
        assert_eq!(read.id, world.header.id);
        assert_eq!(read.title, world.header.title);
        assert_eq!(read.entities, world.header.entities, "seed {seed}");
        assert_eq!(read.sources, world.header.sources, "seed {seed}");
        let written: Vec<_> = world.relationships().collect();
        assert_eq!(read.relationships.len(), written.len());
        for (r, w) in read.relationships.iter().zip(&written) {
            assert_eq!(r, w, "seed {seed}");
        }
    }
}

//! The registry against what each adapter implements: a vendor's declared capabilities and the
//! facets its provider really has cannot disagree.

use std::path::Path;

use super::*;
use crate::config::ConfigFile;
use crate::http::HttpOptions;

/// A profile of `vendor` with placeholder values for every field it needs (nothing is sent).
fn placeholder_profile(vendor: Vendor) -> Profile {
    let fields = vendor.profile_fields();
    let mut toml = format!(
        "[profiles.p]\nprovider = \"{}\"\nbase_url = \"http://127.0.0.1:9\"\n",
        vendor.id()
    );
    for field in fields.iter().filter(|f| f.required) {
        toml.push_str(&format!("{} = \"placeholder\"\n", field.key));
    }
    // A vendor whose credentials are an either-or group (Insider) needs one of them.
    if !fields.iter().any(|f| f.required && f.secret) {
        toml.push_str("token = \"placeholder\"\n");
    }
    let file = ConfigFile::parse(&toml, Path::new("placeholder.toml")).expect("valid profile");
    file.profile("p").expect("the profile exists")
}

fn built(vendor: Vendor) -> Arc<dyn AnalyticsProvider> {
    let options = HttpOptions {
        timeout: std::time::Duration::from_secs(1),
        retries: 0,
        concurrency: None,
        ..HttpOptions::default()
    };
    build(&placeholder_profile(vendor), &options).expect("the adapter builds")
}

#[test]
fn every_vendor_is_registered_under_its_own_name() {
    for vendor in Vendor::all() {
        assert_eq!(adapter(vendor).vendor, vendor);
        assert_eq!(built(vendor).vendor(), vendor);
    }
}

#[test]
fn a_vendor_implements_exactly_the_facets_of_the_commands_it_declares() {
    for vendor in Vendor::all() {
        let provider = built(vendor);
        let caps = provider.capabilities();
        for facet in Facet::all() {
            let declared: Vec<_> = facet.operations().filter(|op| caps.serves(*op)).collect();
            let implemented = provider.implements(facet);
            assert_eq!(
                implemented,
                !declared.is_empty(),
                "{vendor}: the {facet:?} facet is {} but the declared commands of it are {declared:?}",
                if implemented {
                    "implemented"
                } else {
                    "missing"
                },
            );
            if implemented && !facet.may_be_partial() {
                assert_eq!(
                    declared.len(),
                    facet.operations().count(),
                    "{vendor}: the {facet:?} facet serves all of its commands or none, but only {declared:?} are declared",
                );
            }
        }
    }
}

#[test]
fn a_declaration_names_each_command_once() {
    for vendor in Vendor::all() {
        let ops = capabilities_of(vendor).operations;
        for (i, (op, _)) in ops.iter().enumerate() {
            assert!(
                ops[i + 1..].iter().all(|(o, _)| o != op),
                "{vendor} declares {op:?} twice"
            );
        }
    }
}

#[test]
fn a_vendor_that_lacks_a_write_refuses_it_naming_what_it_serves() {
    let engagive = built(Vendor::Engagive);
    let writes = engagive.writes().expect("Engagive sends messages");
    let trigger = WriteCommand::Trigger(FlowTrigger {
        flow_key: "0".repeat(32),
        v2: true,
        phone: "+573001234567".into(),
        attributes: Vec::new(),
    });
    let e = writes.prepare_write(&trigger).unwrap_err();
    assert_eq!(e.kind, ErrorKind::NotSupported);
    assert_eq!(e.message, "Engagive does not support 'trigger'");
    assert!(
        e.hint
            .as_deref()
            .unwrap()
            .contains("messages send-template"),
        "{e:?}"
    );
}

/// Every field of every read command `vendor` serves is declared once in its mapping, in the
/// order the command prints them (product.md, "What the numbers mean").
fn assert_mapped(vendor: Vendor) {
    let gaps = super::mapping::gaps(vendor);
    assert!(gaps.is_empty(), "{}", gaps.join("\n"));
}

#[test]
fn engage_maps_every_field_it_prints() {
    assert_mapped(Vendor::Engage);
}

#[test]
fn engati_maps_every_field_it_prints() {
    assert_mapped(Vendor::Engati);
}

#[test]
fn insider_maps_every_field_it_prints() {
    assert_mapped(Vendor::Insider);
}

#[test]
fn wolkvox_maps_every_field_it_prints() {
    assert_mapped(Vendor::Wolkvox);
}

#[test]
fn engagive_maps_every_field_it_prints() {
    assert_mapped(Vendor::Engagive);
}

#[test]
fn a_native_or_derived_field_names_its_source() {
    for vendor in Vendor::all() {
        for s in super::adapter(vendor).mapping {
            let empty = s.source.text().trim().is_empty();
            assert_eq!(
                empty,
                s.source == super::mapping::Source::Absent,
                "{vendor} {:?} {}",
                s.op,
                s.field
            );
        }
    }
}

#[test]
fn a_vendor_whose_server_may_take_longer_gets_a_longer_default_time_out() {
    use std::time::Duration;
    assert_eq!(request_timeout(Vendor::Wolkvox), Duration::from_secs(75));
    for vendor in [
        Vendor::Engage,
        Vendor::Engati,
        Vendor::Insider,
        Vendor::Engagive,
    ] {
        assert_eq!(request_timeout(vendor), Duration::from_secs(30), "{vendor}");
    }
}

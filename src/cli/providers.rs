//! `providers`: what each vendor can do.

use super::Ctx;
use crate::error::AppError;
use crate::output::{FieldDef, FieldKind, Value};
use crate::provider::{Operation, Support, Vendor, capabilities_of};

fn support_text(s: Support) -> String {
    match s {
        Support::Native => "native".to_string(),
        Support::Derived(how) => format!("derived: {how}"),
        Support::NotSupported => "not supported".to_string(),
    }
}

/// Runs `providers`: one row per vendor, one column per unified command.
pub fn run(ctx: &Ctx) -> Result<(), AppError> {
    let fields = vec![
        FieldDef::new("vendor", FieldKind::Text, "the vendor's config name"),
        FieldDef::new(
            "available",
            FieldKind::Bool,
            "whether this version has the vendor's adapter",
        ),
        FieldDef::new(
            "campaigns_list",
            FieldKind::Text,
            "campaigns list: native, derived or not supported",
        ),
        FieldDef::new("campaigns_summary", FieldKind::Text, "campaigns summary"),
        FieldDef::new(
            "campaigns_details",
            FieldKind::Text,
            "campaigns details and campaigns export",
        ),
        FieldDef::new("stats", FieldKind::Text, "stats"),
        FieldDef::new(
            "rates",
            FieldKind::Text,
            "rates: the vendor's own (native) or computed from counts (derived)",
        ),
    ];
    let rows = Vendor::ALL
        .into_iter()
        .map(|vendor| {
            let mut row = vec![Value::Text(vendor.id().to_string())];
            match capabilities_of(vendor) {
                Some(caps) => {
                    row.push(Value::Bool(true));
                    for op in Operation::ALL {
                        row.push(Value::Text(support_text(caps.support(op))));
                    }
                    row.push(Value::Text(
                        if caps.native_rates {
                            "native"
                        } else {
                            "derived"
                        }
                        .to_string(),
                    ));
                }
                None => {
                    row.push(Value::Bool(false));
                    for _ in 0..=Operation::ALL.len() {
                        row.push(Value::Text("not yet available".to_string()));
                    }
                }
            }
            row
        })
        .collect();
    ctx.write_rows(fields, rows)
}

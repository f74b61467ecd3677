//! `providers`: what each vendor can do, one row per command and one column per vendor; with
//! `--mapping`, where every unified field of every command comes from at each vendor.

use clap::Args;

use super::Ctx;
use crate::error::AppError;
use crate::output::{FieldDef, FieldKind, Value};
use crate::provider::{Operation, Support, Vendor, capabilities_of, mapping};

/// Options of `providers`.
#[derive(Debug, Clone, Args)]
pub struct ProvidersArgs {
    /// Where every unified field of every command comes from, per vendor: one row per vendor,
    /// command and field (vendor, command, field, support, source, note)
    #[arg(long)]
    mapping: bool,
}

fn support_text(s: Support) -> String {
    match s {
        Support::Native => "native".to_string(),
        Support::Derived(how) => format!("derived: {how}"),
        Support::NotSupported => "not supported".to_string(),
    }
}

/// Runs `providers`: one row per command (and a last `rates` row), one column per vendor; or
/// with `--mapping` the mapping of every vendor.
pub fn run(args: ProvidersArgs, ctx: &Ctx) -> Result<(), AppError> {
    if args.mapping {
        return ctx.write_rows(mapping::mapping_fields(), mapping::mapping_rows());
    }
    let mut fields = vec![FieldDef::new(
        "command",
        FieldKind::Text,
        "the command (the last row, rates, says whether rates are the vendor's own or computed from counts)",
    )];
    fields.extend(Vendor::all().map(|v| {
        FieldDef::new(
            v.id(),
            FieldKind::Text,
            "native, derived (and from what), or not supported",
        )
    }));
    let caps: Vec<_> = Vendor::all().map(capabilities_of).collect();
    let mut rows: Vec<Vec<Value>> = Operation::all()
        .map(|op| {
            let mut row = vec![Value::Text(op.command().to_string())];
            row.extend(
                caps.iter()
                    .map(|c| Value::Text(support_text(c.support(op)))),
            );
            row
        })
        .collect();
    let mut rates = vec![Value::Text("rates".to_string())];
    rates.extend(caps.iter().map(|c| {
        Value::Text(
            // No summary and no stats: there are no rates to speak of.
            if c.support(Operation::CampaignsSummary) == Support::NotSupported
                && c.support(Operation::Stats) == Support::NotSupported
            {
                "not supported"
            } else if c.native_rates {
                "native"
            } else {
                "derived"
            }
            .to_string(),
        )
    }));
    rows.push(rates);
    ctx.write_rows(fields, rows)
}

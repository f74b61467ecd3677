//! `--fields`: choosing and ordering columns, and the `--fields help` text.

use std::collections::HashSet;

use super::{FieldDef, OutputError};

/// The indexes (into `fields`) of the columns to print, in the order to print them. Without
/// `--fields`, every field in schema order.
pub(super) fn select(
    fields: &[FieldDef],
    chosen: Option<&[String]>,
) -> Result<Vec<usize>, OutputError> {
    let Some(chosen) = chosen else {
        return Ok((0..fields.len()).collect());
    };
    let names: Vec<&str> = chosen.iter().map(|name| name.trim()).collect();
    if names.iter().all(|name| name.is_empty()) {
        return Err(OutputError::BadFields(
            "--fields is empty; name at least one field, for example '--fields a,b', or run with \
             '--fields help' to list them."
                .to_string(),
        ));
    }
    if names.iter().any(|name| name.is_empty()) {
        return Err(OutputError::BadFields(format!(
            "--fields '{}' has an empty name; separate field names with single commas.",
            chosen.join(",")
        )));
    }
    let mut seen = HashSet::with_capacity(names.len());
    let mut columns = Vec::with_capacity(names.len());
    for name in names {
        if !seen.insert(name) {
            return Err(OutputError::BadFields(format!(
                "--fields names '{name}' more than once; name each field once."
            )));
        }
        let Some(index) = fields.iter().position(|field| field.name == name) else {
            return Err(OutputError::UnknownField {
                name: name.to_string(),
                valid: fields
                    .iter()
                    .map(|field| field.name.as_ref())
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        };
        columns.push(index);
    }
    Ok(columns)
}

/// One line per field: the name padded to a common column, then its description.
pub(super) fn help(fields: &[FieldDef]) -> String {
    let width = fields
        .iter()
        .map(|field| field.name.chars().count())
        .max()
        .unwrap_or(0)
        + 2;
    let mut text = String::new();
    for field in fields {
        let line = format!("{:width$}{}", field.name, field.about);
        text.push_str(line.trim_end());
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::FieldKind;

    fn schema() -> Vec<FieldDef> {
        vec![
            FieldDef::new("contact", FieldKind::Text, "the contact's phone number"),
            FieldDef::new("status", FieldKind::Text, "sent, delivered, read or failed"),
            FieldDef::new("delivered_at", FieldKind::Time, "when it was delivered"),
            FieldDef::new("engaged", FieldKind::Bool, ""),
        ]
    }

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn no_fields_option_selects_every_field_in_schema_order() {
        assert_eq!(select(&schema(), None).unwrap(), vec![0, 1, 2, 3]);
    }

    #[test]
    fn fields_option_chooses_and_reorders_trimming_spaces() {
        let chosen = names(&[" engaged", "contact "]);
        assert_eq!(select(&schema(), Some(&chosen)).unwrap(), vec![3, 0]);
    }

    #[test]
    fn unknown_field_lists_the_valid_names() {
        let err = select(&schema(), Some(&names(&["contact", "phone"]))).unwrap_err();
        match &err {
            OutputError::UnknownField { name, valid } => {
                assert_eq!(name, "phone");
                assert_eq!(valid, "contact, status, delivered_at, engaged");
            }
            other => panic!("unexpected {other:?}"),
        }
        assert_eq!(
            err.to_string(),
            "unknown field 'phone' in --fields; this command's fields are: contact, status, \
             delivered_at, engaged. Run with '--fields help' to see what each holds."
        );
    }

    #[test]
    fn empty_fields_list_is_refused() {
        for list in [names(&[]), names(&[""]), names(&[" ", ""])] {
            let err = select(&schema(), Some(&list)).unwrap_err();
            assert!(
                matches!(&err, OutputError::BadFields(m) if m.starts_with("--fields is empty")),
                "{err:?}"
            );
        }
    }

    #[test]
    fn empty_name_between_commas_is_refused() {
        let err = select(&schema(), Some(&names(&["contact", "", "status"]))).unwrap_err();
        assert_eq!(
            err.to_string(),
            "--fields 'contact,,status' has an empty name; separate field names with single commas."
        );
    }

    #[test]
    fn duplicate_field_is_refused() {
        let err = select(&schema(), Some(&names(&["status", " status"]))).unwrap_err();
        assert_eq!(
            err.to_string(),
            "--fields names 'status' more than once; name each field once."
        );
    }

    #[test]
    fn help_pads_names_to_one_column_without_trailing_spaces() {
        assert_eq!(
            help(&schema()),
            "contact       the contact's phone number\n\
             status        sent, delivered, read or failed\n\
             delivered_at  when it was delivered\n\
             engaged\n"
        );
    }
}

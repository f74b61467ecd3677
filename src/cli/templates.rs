//! `templates list | show | contents | categories | category-options | languages`: a vendor's
//! WhatsApp template catalogue (Engagive).

use clap::{Args, Subcommand};

use super::Ctx;
use crate::error::AppError;
use crate::provider::templates::{Template, TemplateQuery};
use crate::provider::{Operation, Record};

/// Template commands.
#[derive(Debug, Clone, Subcommand)]
pub enum TemplatesCommand {
    /// Every template of the account (every page), optionally filtered by name or code
    List(ListArgs),
    /// One template by its code
    Show {
        /// The template's code, as 'templates list' shows it
        code: String,
    },
    /// The per-language contents (texts) of one template
    Contents(ContentsArgs),
    /// The template categories (MARKETING, UTILITY, AUTHENTICATION, …)
    Categories,
    /// The options of one category
    CategoryOptions {
        /// The category code, as 'templates categories' shows it (MARKETING, …)
        category: String,
    },
    /// The languages template contents can be written in
    #[command(
        after_help = "Engagive serves this list under a template (…/templates/{CODE}/contents/lookups/languages), so --template names the template to ask about; any code from 'templates list' works."
    )]
    Languages {
        /// The template whose content languages to list (Engagive's API asks through one)
        #[arg(long, value_name = "CODE")]
        template: String,
    },
}

/// `templates list`.
#[derive(Debug, Clone, Args)]
pub struct ListArgs {
    /// Only templates whose name or code contains TEXT (the vendor's own search)
    #[arg(long, value_name = "TEXT")]
    search: Option<String>,
    /// Templates per request, up to the vendor's maximum (Engagive: 100) [default: the maximum]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    page_size: Option<u64>,
}

/// `templates contents`.
#[derive(Debug, Clone, Args)]
pub struct ContentsArgs {
    /// The template's code, as 'templates list' shows it
    code: String,
    /// Only contents whose text or language contains TEXT (the vendor's own search)
    #[arg(long, value_name = "TEXT")]
    search: Option<String>,
    /// Contents per request, up to the vendor's maximum (Engagive: 100) [default: the maximum]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    page_size: Option<u64>,
}

/// Runs a templates command.
pub async fn run(cmd: TemplatesCommand, ctx: &Ctx) -> Result<(), AppError> {
    let op = match &cmd {
        TemplatesCommand::List(_) => Operation::TemplatesList,
        TemplatesCommand::Show { .. } => Operation::TemplatesShow,
        TemplatesCommand::Contents(_) => Operation::TemplatesContents,
        TemplatesCommand::Categories => Operation::TemplateCategories,
        TemplatesCommand::CategoryOptions { .. } => Operation::TemplateCategoryOptions,
        TemplatesCommand::Languages { .. } => Operation::TemplateLanguages,
    };
    if ctx.fields_help_for(op)? {
        return Ok(());
    }
    let account = ctx.account()?;
    let catalog = ctx.capability(&account, op, |p| p.template_catalog())?;
    let extra = account.provider.extra_fields(op);
    match cmd {
        TemplatesCommand::List(args) => {
            let query = TemplateQuery {
                search: args.search,
                page_size: args.page_size,
            };
            ctx.write_stream(extra, catalog.templates(&query), None)
                .await?;
        }
        TemplatesCommand::Show { code } => {
            let mut fields = Template::common_fields();
            fields.extend(extra.clone());
            if ctx.fields_help(&fields)? {
                return Ok(());
            }
            check_code(&code, "template code", "templates list")?;
            let template = catalog.template(&code).await?;
            ctx.write_object(extra, template)?;
        }
        TemplatesCommand::Contents(args) => {
            check_code(&args.code, "template code", "templates list")?;
            let query = TemplateQuery {
                search: args.search,
                page_size: args.page_size,
            };
            ctx.write_stream(extra, catalog.contents(&args.code, &query), None)
                .await?;
        }
        TemplatesCommand::Categories => {
            ctx.write_stream(extra, catalog.categories(), None).await?;
        }
        TemplatesCommand::CategoryOptions { category } => {
            check_code(&category, "category code", "templates categories")?;
            ctx.write_stream(extra, catalog.category_options(&category), None)
                .await?;
        }
        TemplatesCommand::Languages { template } => {
            check_code(&template, "template code", "templates list")?;
            ctx.write_stream(extra, catalog.languages(&template), None)
                .await?;
        }
    }
    Ok(())
}

fn check_code(code: &str, what: &str, list: &str) -> Result<(), AppError> {
    if code.trim().is_empty() {
        return Err(AppError::usage(
            format!("the {what} is empty"),
            format!("pass a code as 'wa-analytics {list}' shows it"),
        ));
    }
    Ok(())
}

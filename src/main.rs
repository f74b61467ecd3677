fn main() -> std::process::ExitCode {
    wa_analytics::run()
}

@main
struct EscalationBenchmark {
    static func main() {}
}

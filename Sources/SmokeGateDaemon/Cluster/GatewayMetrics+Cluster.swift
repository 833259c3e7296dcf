import Prometheus

extension GatewayMetrics {
    /// Whether this node leads its cluster, and the epoch of the lease it holds: a second
    /// leader, or none, is what an alert on a cluster looks for.
    func leadership(leading: Bool, epoch: Int64?) {
        registry.makeGauge(
            descriptor: Self.name("cluster_leader", help: "1 while this gateway holds the cluster's lease and calls people."),
            labels: []
        ).set(to: leading ? 1 : 0)
        registry.makeGauge(
            descriptor: Self.name("cluster_epoch", help: "The epoch of the lease this gateway holds (0 while standing by)."),
            labels: []
        ).set(to: Double(epoch ?? 0))
    }
}

/// One low-rate CPU rung: a storm published at an everyday rate while retrytop (snapshot and the
/// dashboard) and Celery's EventReceiver + State listen, each measured in CPU per event.
public struct LowRateRung: Sendable, Codable {
    public var batch: String
    public var targetRate: Double
    public var publish: PublishReport
    public var measurements: [CPUMeasurement]

    public init(batch: String, targetRate: Double, publish: PublishReport, measurements: [CPUMeasurement]) {
        self.batch = batch
        self.targetRate = targetRate
        self.publish = publish
        self.measurements = measurements
    }
}

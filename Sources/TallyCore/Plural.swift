/// The English noun after a count, so that messages read "1 row" and "2 rows".
public enum Plural {
    /// `singular` for a count of one, else `plural` (by default `singular` + "s").
    public static func noun(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
        n == 1 ? singular : plural ?? singular + "s"
    }

    /// The noun after a measured amount: singular only for exactly 1 ("1 day", "1.5 days").
    public static func noun(_ x: Double, _ singular: String, _ plural: String? = nil) -> String {
        x == 1 ? singular : plural ?? singular + "s"
    }
}

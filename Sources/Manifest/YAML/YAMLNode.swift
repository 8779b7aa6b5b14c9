import Diagnostics

/// How a scalar was written.
public enum ScalarStyle: String, Sendable {
    case plain, singleQuoted, doubleQuoted, literal, folded

    public var isQuoted: Bool { self != .plain }
}

/// A scalar with its text exactly as parsed (escapes resolved, quotes removed),
/// the style it was written in, and its YAML 1.1 type.
public struct YAMLScalar: Hashable, Sendable {
    public let text: String
    public let style: ScalarStyle
    /// An explicit tag, such as `tag:yaml.org,2002:str` for `!!str`.
    public let tag: String?
    /// What a YAML 1.1 reader makes of the scalar (computed once, here).
    public let resolved: ResolvedScalar

    public init(text: String, style: ScalarStyle = .plain, tag: String? = nil) {
        self.text = text
        self.style = style
        self.tag = tag
        resolved = Self.resolve(text, style: style, tag: tag)
    }
}

/// A YAML node with the range it spans in the source.
public struct YAMLNode: Sendable {
    public enum Kind: Sendable {
        case scalar(YAMLScalar)
        case sequence([YAMLNode])
        case mapping([YAMLPair])
    }

    public var kind: Kind
    public var range: SourceRange

    public init(_ kind: Kind, range: SourceRange) {
        self.kind = kind
        self.range = range
    }

    public var scalar: YAMLScalar? {
        if case .scalar(let s) = kind { return s }
        return nil
    }

    public var sequence: [YAMLNode]? {
        if case .sequence(let items) = kind { return items }
        return nil
    }

    public var mapping: [YAMLPair]? {
        if case .mapping(let pairs) = kind { return pairs }
        return nil
    }

    /// What a user would call this node's type, for messages: "a string", "a list", …
    public var kindDescription: String {
        switch kind {
        case .sequence: return "a list"
        case .mapping: return "a map"
        case .scalar(let s):
            switch s.resolved {
            case .null: return "null"
            case .bool: return "a boolean"
            case .int: return "a number"
            case .float: return "a number"
            case .string: return "a string"
            }
        }
    }
}

/// One key/value pair of a mapping, in source order.
public struct YAMLPair: Sendable {
    public var key: YAMLNode
    public var value: YAMLNode

    public init(key: YAMLNode, value: YAMLNode) {
        self.key = key
        self.value = value
    }
}

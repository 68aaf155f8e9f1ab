import Foundation
import TallyCore
import TallyLang

extension Driver {
    /// `chart KIND DATA, options...`: draws a chart in the terminal, sized to `set width`,
    /// or with `to: "file.svg"` writes it as an SVG file instead (atomically; a file this
    /// session did not write is only replaced with `force: true`) and says `wrote file.svg`.
    func chart(_ text: String, name: String?, line: Int) -> Bool {
        return command(text, name: name, line: line) { source throws(TallyError) -> Bool in
            let request = try ChartRequest.parse(text, source: source)
            let value = try session.evaluate(request.data)
            if case .error(let e) = value {
                throw TallyError(.evaluation(e), span: e.span ?? request.data.span)
            }
            var builder = ChartBuilder(request: request, data: value, dataText: session.sources.text(of: request.data.span))
            builder.lang = settings.lang
            builder.formatter = ValueFormatter(settings: settings)
            builder.notes = NoteRenderer(settings: settings)
            let spec = try builder.build()
            if let file = request.options["to"] {
                let path = try chartFile(file, force: request.options["force"])
                do throws(ChartSVG.WriteError) {
                    try ChartSVG.write(ChartSVG(decimals: settings.decimals).document(spec), toFile: path)
                } catch {
                    throw TallyError(.command(error.message), span: file.span)
                }
                written.insert(path)
                output.write("wrote \(path)\n")
                return true
            }
            var height = 12
            if let o = request.options["height"] {
                guard case .number(let h, _) = o.value, h == h.rounded(), (3...60).contains(h) else {
                    throw TallyError(.syntax("`height:` is a whole number of rows from 3 to 60"), span: o.span)
                }
                height = Int(h)
            }
            let lines = ChartRenderer(width: settings.width >= Settings.unlimitedWidth ? 100 : settings.width, height: height, decimals: settings.decimals).render(spec)
            output.write(lines.joined(separator: "\n") + "\n")
            return true
        }
    }

    /// The checked path of `to:`: an `.svg` name, and no file this session did not write
    /// unless `force: true`.
    private func chartFile(_ file: ChartRequest.Option, force: ChartRequest.Option?) throws(TallyError) -> String {
        guard case .text(let path) = file.value, !path.isEmpty else {
            throw TallyError(.syntax("`to:` takes a file name in quotes"), span: file.span, hint: "to: \"chart.svg\"")
        }
        guard path.lowercased().hasSuffix(".svg") else {
            throw TallyError(.command("charts are written as SVG: the file name must end in .svg"), span: file.span,
                             hint: "to: \"\((path as NSString).deletingPathExtension).svg\"")
        }
        var overwrite = false
        if let force {
            guard case .bool(let b) = force.value else {
                throw TallyError(.syntax("`force` is true or false"), span: force.span)
            }
            overwrite = b
        }
        if FileManager.default.fileExists(atPath: path), !written.contains(path), !overwrite {
            throw TallyError(.command("`\(path)` already exists"), span: file.span, hint: "add `force: true` to replace it")
        }
        return path
    }
}

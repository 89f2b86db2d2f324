// Rule no-global-event (docs/ESLINT.md#no-global-event): tsyncio's Event shadows Node's global
// (DOM) `Event`, so forgetting to import it gives a program Node's class, which has no wait()/set().
// Reported:
// - in a file that imports tsyncio (the `modules` option), any reference to the global `Event`
//   (value or type), found with ESLint's scope manager;
// - in any file, `new Event()` with no argument (the DOM Event needs a type name) and a call of
//   wait()/set()/clear()/isSet() on a value typed as the global Event (with type information).
// Suggestion (it changes which class is used): add `Event` to the file's tsyncio import, or write
// `<ns>.Event` where tsyncio is imported as a namespace.
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { is, isGlobalEvent } from './types';

type MessageId = 'globalEvent' | 'globalEventNoArgs' | 'globalEventMethod' | 'importEvent' | 'useNamespace';

/** The options of no-global-event. @see docs/ESLINT.md#no-global-event */
export interface NoGlobalEventOptions {
  /** Regular expressions (sources) for the import paths that are tsyncio; default `^tsyncio(/|$)`. */
  modules?: string[];
}

/** tsyncio's Event methods: called on Node's Event they are TypeErrors. */
const EVENT_METHODS: ReadonlySet<string> = new Set(['wait', 'set', 'clear', 'isSet']);

/**
 * Reports Node's global `Event` where tsyncio's was meant: in a file that imports tsyncio, `new
 * Event()` without arguments, and tsyncio's methods called on a global Event.
 * @see Python `asyncio.Event`
 */
export const noGlobalEvent: TSESLint.RuleModule<MessageId, [NoGlobalEventOptions?]> = {
  meta: {
    type: 'problem',
    docs: {
      description: "Disallow Node's global `Event` where tsyncio's `Event` was meant",
    },
    hasSuggestions: true,
    schema: [{
      type: 'object',
      properties: { modules: { type: 'array', items: { type: 'string' } } },
      additionalProperties: false,
    }],
    messages: {
      globalEvent: "`Event` here is Node's global (DOM) Event, not tsyncio's: import { Event } from tsyncio.",
      globalEventNoArgs: "`new Event()` makes Node's global (DOM) Event, which needs a type name: tsyncio's Event must be imported.",
      globalEventMethod: "`{{method}}()` is tsyncio's Event method, but this is Node's global (DOM) Event: import { Event } from tsyncio.",
      importEvent: 'Add `Event` to the import from {{module}}.',
      useNamespace: 'Use `{{ns}}.Event`.',
    },
  },
  create(context) {
    const source = context.sourceCode;
    const patterns = (context.options[0]?.modules ?? ['^tsyncio(/|$)']).map((p) => new RegExp(p));
    const services = source.parserServices;
    const program = services?.program ?? null;

    /** The file's imports from tsyncio (value imports, the ones a suggestion can extend). */
    const tsyncioImports: TSESTree.ImportDeclaration[] = [];
    /** Reported `new Event()` nodes, so the same expression is not reported twice. */
    const reported = new Set<TSESTree.Node>();

    const suggestionsFor = (ref: TSESTree.Identifier): TSESLint.ReportSuggestionArray<MessageId> => {
      for (const decl of tsyncioImports) {
        const ns = decl.specifiers.find((s) => is(s, 'ImportNamespaceSpecifier'));
        if (ns !== undefined) {
          const name = ns.local.name;
          return [{ messageId: 'useNamespace', data: { ns: name }, fix: (fixer) => fixer.replaceText(ref, `${name}.Event`) }];
        }
        const named = decl.specifiers.filter((s) => is(s, 'ImportSpecifier'));
        const last = named.at(-1);
        if (last !== undefined) {
          return [{
            messageId: 'importEvent',
            data: { module: source.getText(decl.source) },
            fix: (fixer) => fixer.insertTextAfter(last, ', Event'),
          }];
        }
      }
      return [];
    };

    return {
      ImportDeclaration(node) {
        if (node.importKind === 'type') return;
        if (patterns.some((re) => re.test(node.source.value))) tsyncioImports.push(node);
      },
      NewExpression(node) {
        if (!is(node.callee, 'Identifier') || node.callee.name !== 'Event' || node.arguments.length > 0) return;
        // Only the global: a local or imported Event (tsyncio's) resolves to a variable with a definition.
        for (let scope: TSESLint.Scope.Scope | null = source.getScope(node); scope !== null; scope = scope.upper) {
          const v = scope.set.get('Event');
          if (v !== undefined && v.defs.length > 0) return;
        }
        reported.add(node.callee);
        context.report({ node, messageId: 'globalEventNoArgs', suggest: suggestionsFor(node.callee) });
      },
      CallExpression(node) {
        if (program === null || services?.esTreeNodeToTSNodeMap === undefined) return;
        const callee = node.callee;
        if (!is(callee, 'MemberExpression') || callee.computed || !is(callee.property, 'Identifier')) return;
        if (!EVENT_METHODS.has(callee.property.name)) return;
        const tsNode = services.esTreeNodeToTSNodeMap.get(callee.object);
        const type = program.getTypeChecker().getTypeAtLocation(tsNode);
        if (isGlobalEvent(program, type)) {
          context.report({ node: callee.property, messageId: 'globalEventMethod', data: { method: callee.property.name } });
        }
      },
      'Program:exit'(node) {
        if (tsyncioImports.length === 0) return;
        // Unresolved references (`through`) and ones resolved to a global without a declaration
        // (an ESLint `globals` entry or a TypeScript lib name).
        const globalScope = source.getScope(node);
        const globalVar = globalScope.set.get('Event');
        const refs = [
          ...globalScope.through.filter((r) => r.identifier.name === 'Event'),
          ...(globalVar !== undefined && globalVar.defs.length === 0 ? globalVar.references : []),
        ];
        const seen = new Set<TSESTree.Node>();
        for (const ref of refs) {
          const id = ref.identifier;
          if (seen.has(id) || reported.has(id) || !is(id, 'Identifier')) continue;
          seen.add(id);
          context.report({ node: id, messageId: 'globalEvent', suggest: suggestionsFor(id) });
        }
      },
    };
  },
};

// tsyncio/no-global-event (docs/ESLINT.md#no-global-event): Node's global (DOM) Event where
// tsyncio's was meant; suggestions import tsyncio's.
import type { RuleTester } from 'eslint';
import plugin from '../../lib/eslint-plugin';
import { FILE, ruleTester } from './tester';

const valid = (code: string, options?: unknown[]): RuleTester.ValidTestCase => ({ code, filename: FILE, ...(options && { options }) });
const invalid = (code: string, errors: RuleTester.TestCaseError[], options?: unknown[]): RuleTester.InvalidTestCase =>
  ({ code, filename: FILE, errors, ...(options && { options }) });

ruleTester.run('no-global-event', plugin.rules['no-global-event'], {
  valid: [
    "import { Event, type Coroutine } from 'tsyncio'; const ev = new Event(); function* main(): Coroutine { yield* ev.wait(); ev.set(); }",
    "import * as asyncio from 'tsyncio'; const ev = new asyncio.Event(); ev.set();",
    "import type { Event } from 'tsyncio'; let ev: Event | undefined;",
    "import { Event } from 'tsyncio/locks'; new Event();",
    // No tsyncio in the file: Node's Event with its type name is Node's business.
    "const ev = new Event('ping'); ev.preventDefault();",
    "class Event { set(): void {} } new Event().set();",
    "import { sleep } from 'tsyncio'; function f(Event: new () => { set(): void }): void { new Event().set(); } void sleep;",
  ].map((code) => valid(code)).concat([
    // Only the modules the option names are tsyncio.
    valid("import { sleep } from '../../lib'; const ev = new Event('ping'); void [sleep, ev];"),
  ]),
  invalid: [
    invalid("import { sleep } from 'tsyncio'; const ev = new Event('ping'); void [sleep, ev];", [{
      messageId: 'globalEvent', column: 49,
      suggestions: [{ messageId: 'importEvent', data: { module: "'tsyncio'" }, output: "import { sleep, Event } from 'tsyncio'; const ev = new Event('ping'); void [sleep, ev];" }],
    }]),
    invalid("import { sleep } from 'tsyncio'; let ev: Event | undefined; void [sleep, ev];", [{
      messageId: 'globalEvent',
      suggestions: [{ messageId: 'importEvent', output: "import { sleep, Event } from 'tsyncio'; let ev: Event | undefined; void [sleep, ev];" }],
    }]),
    invalid("import * as asyncio from 'tsyncio'; const ev = new Event(); void [asyncio, ev];", [{
      messageId: 'globalEventNoArgs',
      suggestions: [{ messageId: 'useNamespace', data: { ns: 'asyncio' }, output: "import * as asyncio from 'tsyncio'; const ev = new asyncio.Event(); void [asyncio, ev];" }],
    }]),
    // Without a tsyncio import: new Event() cannot be Node's (it needs a type name), and wait()/set()
    // are not Node's Event methods.
    invalid('const ev = new Event();', [{ messageId: 'globalEventNoArgs', suggestions: [] }]),
    invalid('declare const ev: Event; ev.set(); void ev.isSet();', [
      { messageId: 'globalEventMethod', data: { method: 'set' } },
      { messageId: 'globalEventMethod', data: { method: 'isSet' } },
    ]),
    invalid("import { sleep } from '../../lib'; const ev = new Event('ping'); void [sleep, ev];", [{
      messageId: 'globalEvent',
      suggestions: [{ messageId: 'importEvent', output: "import { sleep, Event } from '../../lib'; const ev = new Event('ping'); void [sleep, ev];" }],
    }], [{ modules: ['(^|/)lib$'] }]),
  ],
});

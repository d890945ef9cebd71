/**
 * The example plugin. It imports nothing from the host at run time (`import type` is erased):
 * everything arrives through `ctx`.
 */
import type { PluginContext, PluginModule } from '../../core/api/index.js';

interface HelloConfig {
  greeting: string;
}

const NAMES = ['Ada', 'Alan', 'Barbara', 'Edsger', 'Grace', 'Ken', 'Margaret'];

function greet(config: HelloConfig, name: string): string {
  return `${config.greeting}, ${name}!`;
}

const plugin: PluginModule<HelloConfig> = {
  register(ctx: PluginContext<HelloConfig>) {
    ctx.tools.register<{ name: string }>({
      name: 'greet',
      title: 'Greet someone',
      description: 'Returns a greeting for the given name.',
      inputSchema: {
        type: 'object',
        properties: { name: { type: 'string', minLength: 1, maxLength: 200, description: 'Who to greet' } },
        required: ['name'],
        additionalProperties: false,
      },
      outputSchema: { type: 'object', properties: { greeting: { type: 'string' } }, required: ['greeting'] },
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
      handler: ({ name }) => {
        const greeting = greet(ctx.config, name);
        return { content: [{ type: 'text', text: greeting }], structuredContent: { greeting } };
      },
    });

    ctx.resources.register({
      uri: 'hello://greeting',
      name: 'greeting',
      description: 'The configured greeting word.',
      mimeType: 'text/plain',
      read: (uri) => ({ contents: [{ uri, mimeType: 'text/plain', text: ctx.config.greeting }] }),
    });

    ctx.resources.registerTemplate({
      uriTemplate: 'hello://greeting/{name}',
      name: 'greeting-for',
      description: 'A greeting for one name.',
      mimeType: 'text/plain',
      list: () => NAMES.slice(0, 3).map((name) => ({ uri: `hello://greeting/${name}`, name: `greeting for ${name}`, mimeType: 'text/plain' })),
      read: (uri, vars) => ({ contents: [{ uri, mimeType: 'text/plain', text: greet(ctx.config, String(vars.name)) }] }),
      complete: (_variable, value) => NAMES.filter((n) => n.toLowerCase().startsWith(value.toLowerCase())),
    });

    ctx.prompts.register({
      name: 'welcome',
      description: 'Asks the model to write a short welcome message for someone.',
      arguments: [{ name: 'name', description: 'Who to welcome', required: true }],
      get: ({ name }) => ({
        messages: [{ role: 'user', content: { type: 'text', text: `Write a two-line welcome for ${name}, starting with "${greet(ctx.config, name)}".` } }],
      }),
      complete: (_argument, value) => NAMES.filter((n) => n.toLowerCase().startsWith(value.toLowerCase())),
    });
  },
};

export default plugin;

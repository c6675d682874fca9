import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { Conversation, type ToolCallStartedMessage } from '../../server/local-engine/conversation.ts';
import { findPersonaConfigProblems } from '../../server/persona-config.ts';
import { LOCAL_ENGINE_PRESETS } from '../../server/personas.ts';

function conversationWith(tools = [{ name: 'show_bike', awaitResult: true }]) {
  const said: string[] = [];
  const sent: ToolCallStartedMessage[] = [];
  const conversation = new Conversation({
    sessionId: 'session-1',
    tools,
    say: (text) => said.push(text),
    send: (message) => sent.push(message),
  });
  return { conversation, said, sent };
}

describe('local engine conversation', () => {
  it('calls a declared client tool named in a message, in the SDK wire format, with key=value arguments', () => {
    const { conversation, said, sent } = conversationWith();
    conversation.hear('Could you show bike model=cargo-duo please?');
    assert.equal(sent.length, 1);
    const { messageType, data } = sent[0]!;
    assert.equal(messageType, 'toolCallStarted');
    assert.equal(data.session_id, 'session-1');
    assert.equal(data.tool_name, 'show_bike');
    assert.equal(data.tool_type, 'client');
    assert.deepEqual(data.arguments, { model: 'cargo-duo' });
    assert.ok(data.tool_call_id && data.event_uid && data.user_action_correlation_id);
    assert.ok(!Number.isNaN(Date.parse(data.timestamp)));
    assert.equal(said.length, 0, 'it waits for the result before speaking');

    conversation.receiveToolResult({
      message_type: 'tool_result',
      tool_call_id: data.tool_call_id,
      result: 'Showing the Cargo Duo.',
    });
    assert.equal(said.length, 1);
    assert.ok(said[0]!.includes('Showing the Cargo Duo.'));
    conversation.receiveToolResult({ message_type: 'tool_result', tool_call_id: data.tool_call_id, result: 'again' });
    assert.equal(said.length, 1, 'a result is taken once');
  });

  it('says so when the tool failed, or when the page never answers', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const { conversation, said, sent } = conversationWith();
      conversation.hear('show bike model=nope');
      conversation.receiveToolResult({ tool_call_id: sent[0]!.data.tool_call_id, error: 'Error in handler: no such bike' });
      assert.match(said[0]!, /show bike failed: Error in handler: no such bike/);
      conversation.hear('show_bike model=slow');
      mock.timers.tick(10_000);
      assert.match(said[1]!, /show bike failed: the page did not answer in time/);
    } finally {
      mock.timers.reset();
    }
  });

  it('does not wait for a fire-and-forget tool, and echoes messages that name no tool', () => {
    const { conversation, said, sent } = conversationWith([{ name: 'open_cart', awaitResult: false }]);
    conversation.hear('open cart');
    assert.equal(sent.length, 1);
    assert.match(said[0]!, /asked the page to open cart/);
    conversation.hear('show bike model=x');
    assert.equal(sent.length, 1, 'show_bike is not declared here');
    assert.match(said[1]!, /^You said: "show bike model=x"/);
  });

  it('quotes the latest context verbatim when asked about the context', () => {
    const { conversation, said } = conversationWith();
    conversation.hear('What context do you have?');
    assert.match(said[0]!, /not given me any context/);
    conversation.context = 'Visitor is on the Cargo Duo page.';
    conversation.context = 'Visitor is reading: Cargo Duo, a gold member.';
    conversation.hear('Tell me the context');
    assert.ok(said[1]!.includes('"Visitor is reading: Cargo Duo, a gold member."'));
  });
});

describe('client tools in persona configs', () => {
  it("accepts Cara's preset with its show_bike tool", () => {
    assert.deepEqual(findPersonaConfigProblems(LOCAL_ENGINE_PRESETS.presets.cara), []);
  });

  it('names each problem of a bad tool declaration', () => {
    const base = { name: 'X', avatarId: '30fa96d0-26c4-4e55-94a0-517025942e18', voiceId: '6bfbe25a-979d-40f3-a92b-5394170af54b' };
    assert.deepEqual(findPersonaConfigProblems({ ...base, tools: 'show_bike' }), ['tools must be an array of at most 32 tools']);
    const problems = findPersonaConfigProblems({
      ...base,
      tools: [
        { type: 'webhook', name: 'Show Bike', description: '', url: 'https://x' },
        { type: 'client', name: 'a', description: 'ok', parameters: { type: 'string' }, awaitResult: 'yes' },
        { type: 'client', name: 'a', description: 'twice' },
      ],
    });
    assert.deepEqual(problems, [
      'tools[0].url is not a tool field',
      'tools[0].type must be "client"',
      'tools[0].name must be snake_case, 1 to 64 characters',
      'tools[0].description is required (1 to 1024 characters)',
      'tools[1].parameters must be a JSON Schema with "type": "object"',
      'tools[1].awaitResult must be true or false',
      'tools[2].name "a" is declared twice',
    ]);
  });
});

// What a site owner writes to open the conversation for the visitor: send() from the ready event.
document.querySelector('anam-persona').addEventListener('anam-persona-ready', (event) => {
  event.currentTarget.send('Which bikes are on sale?');
});
